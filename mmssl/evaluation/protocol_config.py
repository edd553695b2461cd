"""Retrieval-protocol settings of a config, read and changed in one place.

A pretraining config carries its retrieval protocol (``test_dataloader`` +
``test_evaluator``, from a ``configs/_base_/datasets/*`` file). Text configs
substitute variables such as ``retrieval_clips`` when the file is parsed, so
a child config or ``--cfg-options retrieval_clips=9`` cannot change the
number of clips afterwards. These helpers edit the resolved config instead;
``tools/analysis_tools/retrieval.py`` exposes them as ``--data-config``,
``--num-clips`` and ``--feature`` (docs/protocols/retrieval.md).
"""
from typing import Iterator, List, Optional

from mmengine.config import Config

__all__ = [
    'iter_test_pipelines', 'num_clips_of', 'set_num_clips',
    'use_data_config', 'retrieval_metric_cfg', 'set_feature_key'
]

# Keys a retrieval protocol file defines that replace the model config's.
_PROTOCOL_KEYS = ('test_dataloader', 'test_evaluator', 'test_cfg')


def _datasets(dataset_cfg: dict) -> Iterator[dict]:
    """Leaf dataset configs under ``ConcatDataset`` / wrapper configs."""
    if 'datasets' in dataset_cfg:
        for child in dataset_cfg['datasets']:
            yield from _datasets(child)
    elif 'dataset' in dataset_cfg:
        yield from _datasets(dataset_cfg['dataset'])
    else:
        yield dataset_cfg


def iter_test_pipelines(cfg: Config) -> Iterator[List[dict]]:
    """Pipelines of every dataset of ``cfg.test_dataloader``.

    Args:
        cfg (Config): A config with a ``test_dataloader``.

    Yields:
        list[dict]: Each leaf dataset's ``pipeline`` (the config's own list,
        so edits apply to ``cfg``).

    Raises:
        KeyError: If ``cfg`` has no ``test_dataloader``.
    """
    if 'test_dataloader' not in cfg:
        raise KeyError(f'{cfg.filename}: no test_dataloader (the retrieval '
                       'protocol); pass --data-config with one')
    for dataset in _datasets(cfg.test_dataloader['dataset']):
        yield dataset.get('pipeline', [])


def _clip_samplers(cfg: Config) -> List[dict]:
    """Test-mode transforms that set a number of clips per video."""
    return [
        t for pipeline in iter_test_pipelines(cfg) for t in pipeline
        if 'num_clips' in t and t.get('test_mode', False)
    ]


def num_clips_of(cfg: Config) -> Optional[int]:
    """Clips per video of the test pipelines (None if absent or unequal)."""
    values = {t['num_clips'] for t in _clip_samplers(cfg)}
    return values.pop() if len(values) == 1 else None


def set_num_clips(cfg: Config, num_clips: int) -> int:
    """Set the clips per video of every test-mode clip sampler, in place.

    TCLR's released retrieval averages 9 clips per video
    (``nn_retrieval/parameters_BL.py``, ``num_modes = 9``); STCLR reports 10
    (default) and 9 (Sec. 4.2.2); VCOP uses 10.

    Args:
        cfg (Config): A config with a ``test_dataloader``.
        num_clips (int): Clips per video, >= 1.

    Returns:
        int: Number of transforms changed (one per test dataset).

    Raises:
        ValueError: If ``num_clips`` < 1 or no test-mode sampler with
            ``num_clips`` (e.g. ``SampleFrames(test_mode=True)``) exists.
    """
    if isinstance(num_clips, bool) or not isinstance(num_clips, int) \
            or num_clips < 1:
        raise ValueError(f'num_clips must be a positive int, got '
                         f'{num_clips!r}')
    samplers = _clip_samplers(cfg)
    if not samplers:
        raise ValueError(
            f'{cfg.filename}: no test-mode clip sampler with num_clips in '
            'test_dataloader (expected e.g. SampleFrames(test_mode=True))')
    for transform in samplers:
        transform['num_clips'] = num_clips
    return len(samplers)


def use_data_config(cfg: Config, data_config: str) -> Config:
    """Replace the retrieval protocol of ``cfg`` by that of another file.

    Copies whichever of ``test_dataloader``, ``test_evaluator``,
    ``test_cfg`` and ``data_root`` ``data_config`` defines (``data_root`` so
    that ``--data-root`` re-roots the new paths), e.g. to
    evaluate a UCF101-pretraining config on
    ``configs/_base_/datasets/hmdb51_split1_tclr_retrieval.py``.

    Args:
        cfg (Config): The model / pretraining config (changed in place).
        data_config (str): Path of a config with a ``test_dataloader``.

    Returns:
        Config: ``cfg``.

    Raises:
        KeyError: If ``data_config`` has no ``test_dataloader``.
    """
    data_cfg = Config.fromfile(data_config)
    if 'test_dataloader' not in data_cfg:
        raise KeyError(f'{data_config}: no test_dataloader to evaluate on')
    for key in _PROTOCOL_KEYS + ('data_root', ):
        if key in data_cfg:
            cfg[key] = data_cfg[key]
    return cfg


def retrieval_metric_cfg(cfg: Config) -> dict:
    """The ``RetrievalMetric`` entry of ``cfg.test_evaluator``.

    A config without one gets ``dict(type='RetrievalMetric')`` (the tool's
    default) stored as its ``test_evaluator``.

    Raises:
        KeyError: If ``test_evaluator`` lists metrics but none is a
            ``RetrievalMetric``.
    """
    evaluator = cfg.get('test_evaluator')
    if not evaluator:
        cfg.test_evaluator = dict(type='RetrievalMetric')
        return cfg.test_evaluator
    entries = evaluator if isinstance(evaluator, (list, tuple)) else [
        evaluator
    ]
    for entry in entries:
        if entry.get('type') == 'RetrievalMetric':
            return entry
    raise KeyError(f'{cfg.filename}: test_evaluator has no RetrievalMetric')


def set_feature_key(cfg: Config, feature_key: str) -> None:
    """Choose the video feature the retrieval metric reads, in place.

    Args:
        cfg (Config): A config whose ``test_evaluator`` is (or lists) a
            ``RetrievalMetric``.
        feature_key (str): ``'feats'`` (3-D pooled) or ``'time_feats'``
            (spatially pooled, time kept and flattened; TCLR/STCLR).
    """
    retrieval_metric_cfg(cfg)['feature_key'] = feature_key
