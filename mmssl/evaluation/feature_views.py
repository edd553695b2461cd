"""Which videos and views a feature cache holds, read from a config.

The feature cache (:mod:`mmssl.evaluation.feature_cache`) extracts features
through a config's retrieval / test loader: each leaf dataset of
``test_dataloader`` is one split, named by its ``split_tag``
(``'train'`` gallery and ``'test'`` query in the retrieval layout of
``configs/_base_/datasets/*.py``; the cache calls the query split ``val``,
as the annotation lists do). The views per video are the test pipeline's
clips (``SampleFrames(test_mode=True, num_clips=K)``) times its crops
(``CenterCrop`` = 1, ``ThreeCrop`` = 3, ``TenCrop`` = 10, MMAction2's
multi-view test transforms).
"""
import copy
from typing import Dict, List

from mmengine.config import Config


__all__ = ['split_dataset_cfgs', 'set_num_crops', 'CACHE_SPLIT_NAMES']

# split_tag of a retrieval dataset -> split name in the feature cache
CACHE_SPLIT_NAMES = {'train': 'train', 'test': 'val', 'val': 'val'}
CROP_TRANSFORMS = {1: 'CenterCrop', 3: 'ThreeCrop', 10: 'TenCrop'}


def _leaf_datasets(dataset_cfg: dict) -> List[dict]:
    if 'datasets' in dataset_cfg:
        return [d for child in dataset_cfg['datasets']
                for d in _leaf_datasets(child)]
    if 'dataset' in dataset_cfg:
        return _leaf_datasets(dataset_cfg['dataset'])
    return [dataset_cfg]


def split_dataset_cfgs(cfg: Config) -> Dict[str, dict]:
    """Dataset config of every split of ``cfg.test_dataloader``.

    Args:
        cfg (Config): A config with a retrieval-style ``test_dataloader``
            (e.g. ``configs/_base_/datasets/synthmotion.py``). A single
            dataset without ``split_tag`` is the ``val`` split.

    Returns:
        dict[str, dict]: ``{'train': dataset_cfg, 'val': dataset_cfg}``
        (deep copies; ``split_tag`` removed).

    Raises:
        KeyError: If ``cfg`` has no ``test_dataloader``, or two datasets
            map to the same split, or a ``split_tag`` is unknown.
    """
    if 'test_dataloader' not in cfg:
        raise KeyError(f'{cfg.filename}: no test_dataloader to extract '
                       'features from (pass --data-config with one)')
    leaves = _leaf_datasets(cfg.test_dataloader['dataset'])
    splits = {}
    for leaf in leaves:
        tag = leaf.get('split_tag', 'val' if len(leaves) == 1 else None)
        if tag not in CACHE_SPLIT_NAMES:
            raise KeyError(
                f'{cfg.filename}: test_dataloader dataset '
                f'{leaf.get("ann_file")} has split_tag {tag!r}; expected one '
                f'of {sorted(CACHE_SPLIT_NAMES)} (the retrieval layout: '
                "'train' gallery, 'test' query)")
        name = CACHE_SPLIT_NAMES[tag]
        if name in splits:
            raise KeyError(f'{cfg.filename}: two test_dataloader datasets '
                           f'are split {name!r}')
        leaf = copy.deepcopy(dict(leaf))
        leaf.pop('split_tag', None)
        splits[name] = leaf
    return splits


def set_num_crops(pipeline: List[dict], num_crops: int) -> List[dict]:
    """Make a test pipeline take 1, 3 or 10 crops per clip, in place.

    ``CenterCrop(crop_size=c)`` becomes ``ThreeCrop(crop_size=c)`` (with
    the preceding ``Resize`` set to short side ``c``, MMAction2's
    convention: three crops span the long side) or ``TenCrop(crop_size=c)``
    (centre and four corners, each also flipped horizontally).

    Args:
        pipeline (list[dict]): Test pipeline with one crop transform.
        num_crops (int): 1, 3 or 10.

    Returns:
        list[dict]: ``pipeline``.

    Raises:
        ValueError: Unknown ``num_crops`` or no single crop transform.
    """
    if num_crops not in CROP_TRANSFORMS:
        raise ValueError(f'num_crops must be one of {sorted(CROP_TRANSFORMS)}'
                         f', got {num_crops!r}')
    crops = [i for i, t in enumerate(pipeline)
             if t['type'] in CROP_TRANSFORMS.values()]
    if len(crops) != 1:
        raise ValueError(
            f'expected one of {sorted(CROP_TRANSFORMS.values())} in the test '
            f'pipeline, found {len(crops)}: '
            f'{[t["type"] for t in pipeline]}')
    index = crops[0]
    size = pipeline[index]['crop_size']
    pipeline[index] = dict(type=CROP_TRANSFORMS[num_crops], crop_size=size)
    if num_crops == 3:
        for transform in pipeline[:index]:
            if transform['type'] == 'Resize':
                side = size if isinstance(size, int) else min(size)
                transform['scale'] = (-1, side)
                transform.pop('keep_ratio', None)
    return pipeline
