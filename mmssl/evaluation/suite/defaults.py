"""Which dataset a config is evaluated on, and each protocol's defaults there.

A pretraining config names its evaluation dataset through its retrieval
protocol: the ``test_dataloader`` (from ``configs/_base_/datasets/*``) lists
the annotation files of the gallery and query videos, e.g.
``data/ucf101/ucf101_train_split_1_videos.txt`` or
``data/synthmotion/train_list.txt``. The dataset is the known dataset name
found in those paths (a path component or a file-name prefix), read from the
config as written, before ``--data-root`` moves the paths. k-NN, linear probe
and fine-tuning evaluate on the same dataset and split (one feature
extraction serves retrieval, k-NN and the probe).

The fine-tune config is the one under ``configs/benchmarks/finetune/`` for
that dataset (``*_<dataset>.py`` or ``*_<dataset>-split<k>.py``) whose
backbone holds the same weights (state-dict names and shapes) and whose
data preprocessor (the input representation, e.g. residual frames) has the
same type as the pretraining config's, so the checkpoint's ``backbone.``
weights load into it strictly. A recipe may change what holds no weights
(e.g. strides). Several matches are narrowed by the pretraining method's
name (the config file's first ``_``-separated token, e.g. ``stclr``
prefers ``stclr-ft_...``).
"""
import copy
import glob
import os.path as osp
import re
from typing import Dict, List, Optional, Tuple

import torch
from mmengine.config import Config

__all__ = [
    'EvaluationError', 'KNOWN_DATASETS', 'PROTOCOL_DEFAULTS',
    'evaluation_dataset', 'protocol_settings', 'finetune_config_for'
]

# Used when mmssl.datasets.dataset_info (the dataset table) is absent.
KNOWN_DATASETS = ('ucf101', 'hmdb51', 'diving48', 'sthv2', 'kinetics400',
                  'synthmotion')

# Per-protocol defaults; a dataset entry overrides the '*' entry.
#   retrieval: Xu et al., CVPR 2019, Sec. 4.4 (cosine, R@1-50 as
#   docs/protocols/retrieval.md); video-level queries and gallery (the
#   cache holds clip-averaged video features).
#   knn: Wu et al., "Unsupervised Feature Learning via Non-Parametric
#   Instance Discrimination", CVPR 2018 (k=200, T=0.07, as DINO's eval_knn);
#   SynthMotion's gallery has 16 videos per class, so k=20 there.
#   linear: the probe's own defaults (train_linear_probe).
PROTOCOL_DEFAULTS: Dict[str, Dict[str, dict]] = {
    'retrieval': {  # tools/analysis_tools/retrieval.py's defaults
        '*': dict(ks=(1, 5, 10, 20, 50), center=False, l2_normalize=True),
    },
    'knn': {
        '*': dict(k=200, temperature=0.07),
        'synthmotion': dict(k=20, temperature=0.07),
    },
    'linear': {
        '*': dict(),
    },
}

class EvaluationError(ValueError):
    """A request evaluate.py cannot serve (unknown protocol, no default for
    the dataset, a protocol that is not available)."""


def _known_datasets() -> Tuple[str, ...]:
    try:
        from mmssl.datasets.dataset_info import DATASETS
    except ImportError:
        return KNOWN_DATASETS
    return tuple(DATASETS)


def _names_in(path: str, names: Tuple[str, ...]) -> List[str]:
    parts = re.split(r'[\\/]', path)
    return [
        name for name in names
        if name in parts or any(p.startswith(name + '_') for p in parts)
    ]


def evaluation_dataset(cfg: Config) -> Tuple[str, int]:
    """The dataset and split the config's retrieval protocol reads.

    Args:
        cfg (Config): A pretraining config as written (paths not re-rooted).

    Returns:
        tuple[str, int]: e.g. ``('ucf101', 1)``; the split is 1 when the
        annotation files name none.

    Raises:
        EvaluationError: No ``test_dataloader``, or its annotation files
            name no known dataset or several.
    """
    if 'test_dataloader' not in cfg:
        raise EvaluationError(
            f'{cfg.filename}: no test_dataloader, so no evaluation dataset; '
            'pass --dataset or use a config with a retrieval protocol '
            '(configs/_base_/datasets/*)')
    from mmssl.evaluation.feature_views import split_dataset_cfgs
    ann_files = [
        d.get('ann_file', '') for d in split_dataset_cfgs(cfg).values()
    ]
    names = sorted({n for f in ann_files
                    for n in _names_in(f, _known_datasets())})
    if len(names) != 1:
        raise EvaluationError(
            f'{cfg.filename}: the test_dataloader annotation files '
            f'{ann_files} name {"no" if not names else "several"} known '
            f'dataset(s) {names} (known: {list(_known_datasets())}); pass '
            '--dataset')
    splits = {int(m) for f in ann_files
              for m in re.findall(r'split_?(\d)', osp.basename(f))}
    return names[0], splits.pop() if len(splits) == 1 else 1


def protocol_settings(protocol: str, dataset: str,
                      overrides: Optional[dict] = None) -> dict:
    """Default settings of ``protocol`` on ``dataset``, then ``overrides``.

    Raises:
        EvaluationError: The protocol has no default for the dataset.
    """
    table = PROTOCOL_DEFAULTS.get(protocol, {'*': {}})
    if dataset not in table and '*' not in table:
        raise EvaluationError(
            f'protocol {protocol!r} has no default settings for dataset '
            f'{dataset!r} (it has for {sorted(table)})')
    settings = dict(table.get(dataset, table.get('*')))
    settings.update(overrides or {})
    return settings


def _weights_signature(model_cfg: dict) -> Tuple[frozenset, Optional[str]]:
    """Backbone state-dict names and shapes (built on the ``meta`` device
    where the backbone allows it) and the data preprocessor's type."""
    from mmengine.registry import init_default_scope

    from mmssl.registry import MODELS
    init_default_scope('mmssl')
    backbone_cfg = copy.deepcopy(dict(model_cfg['backbone']))
    try:
        with torch.device('meta'):
            backbone = MODELS.build(backbone_cfg)
    except (RuntimeError, NotImplementedError):  # e.g. .item() at build
        backbone = MODELS.build(backbone_cfg)
    shapes = frozenset(
        (key, tuple(value.shape))
        for key, value in backbone.state_dict().items())
    preprocessor = model_cfg.get('data_preprocessor') or {}
    return shapes, preprocessor.get('type')


def finetune_config_for(cfg: Config, dataset: str, split: int,
                        config_dir: str) -> str:
    """The fine-tune config for ``dataset`` that fits ``cfg``'s backbone.

    Args:
        cfg (Config): The pretraining config.
        dataset (str): Evaluation dataset, e.g. ``'synthmotion'``.
        split (int): Split of datasets with several (``-split<k>`` files).
        config_dir (str): ``configs/benchmarks/finetune``.

    Returns:
        str: Path of the chosen config.

    Raises:
        EvaluationError: No fine-tune config of the dataset fits, or several
            fit and the method name does not decide (pass
            ``--finetune-config``).
    """
    paths = sorted(
        glob.glob(osp.join(config_dir, f'*_{dataset}.py')) +
        glob.glob(osp.join(config_dir, f'*_{dataset}-split{split}.py')))
    if not paths:
        raise EvaluationError(
            f'protocol \'finetune\' has no default config for dataset '
            f'{dataset!r} (no {config_dir}/*_{dataset}[-split{split}].py); '
            'pass --finetune-config')
    wanted = _weights_signature(cfg.model)
    fitting = [
        p for p in paths
        if _weights_signature(Config.fromfile(p).model) == wanted
    ]
    method = osp.basename(cfg.filename or '').split('_')[0]
    preferred = [  # recipe files are named '<method>-ft_...'
        p for p in fitting
        if osp.basename(p).split('_')[0] in (method, f'{method}-ft')
    ]
    for choice in (fitting, preferred):
        if len(choice) == 1:
            return choice[0]
    if not fitting:
        raise EvaluationError(
            'protocol \'finetune\': none of '
            f'{[osp.basename(p) for p in paths]}'
            f' has the backbone weights (names and shapes) and data '
            f'preprocessor ({wanted[1]}) of {cfg.filename}; pass '
            '--finetune-config')
    raise EvaluationError(
        f'protocol \'finetune\': several configs fit {cfg.filename}: '
        f'{[osp.basename(p) for p in fitting]}; pass --finetune-config')
