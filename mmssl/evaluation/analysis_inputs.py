"""Model and clip loader of the analysis tools (CKA, noise robustness,
Grad-CAM), built from a config the way the evaluation tools build them.

- The model is built from ``cfg.model``; a checkpoint loads strictly for
  the evaluated parts (``backbone.`` for pretrained encoders, also
  ``cls_head.`` for fine-tuned recognizers) through
  :func:`~mmssl.utils.checkpoint_loading.prepare_evaluated_model`;
  ``'none'`` gives the seeded random initialisation.
- The loader reads one split of the config's test loader
  (:func:`~mmssl.evaluation.feature_views.split_dataset_cfgs`: the
  retrieval layout's ``val`` queries, or a fine-tune config's single test
  set), in order, with an optional pipeline edit and clip count.
"""
import copy
import os.path as osp
from typing import Callable, List, Optional, Sequence

from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from torch import nn

from mmssl.evaluation.feature_views import split_dataset_cfgs
from mmssl.evaluation.protocol_config import set_num_clips
from mmssl.registry import MODELS
from mmssl.utils.checkpoint_loading import prepare_evaluated_model

__all__ = [
    'build_analysis_model', 'build_split_loader', 'load_config',
    'start_analysis_tool', 'ANALYSIS_ERRORS'
]


def _errors() -> tuple:
    from mmssl.utils.checkpoint_loading import CheckpointMismatchError
    from mmssl.utils.checkpoint_reading import CheckpointReadError
    return (CheckpointMismatchError, CheckpointReadError, FileNotFoundError,
            KeyError, ValueError)


#: What an analysis tool's ``__main__`` turns into a one-line exit message.
ANALYSIS_ERRORS = _errors()


def start_analysis_tool(name: str) -> None:
    """Quiet FFmpeg, register mmssl's modules and keep weight-init
    reports out of the console (a WARNING-level logger ``name``)."""
    from mmengine.logging import MMLogger

    from mmssl.utils import quiet_ffmpeg, register_all_modules
    quiet_ffmpeg()
    register_all_modules(init_default_scope=False)
    if MMLogger.check_instance_created(name):
        MMLogger.get_instance(name)
    else:
        MMLogger.get_instance(name, log_level='WARNING')


def load_config(path: str, cfg_options: Optional[dict] = None,
                data_root: Optional[str] = None) -> Config:
    """Read a config and apply ``--cfg-options`` / ``--data-root``."""
    from mmssl.utils.config_overrides import apply_overrides
    if not osp.isfile(path):
        raise FileNotFoundError(f'config not found: {path}')
    return apply_overrides(Config.fromfile(path), cfg_options, data_root)


def build_analysis_model(cfg: Config,
                         checkpoint: Optional[str],
                         seed: int = 0,
                         evaluated: Sequence[str] = ('backbone.', )
                         ) -> nn.Module:
    """Build ``cfg.model`` in eval mode with the evaluated weights.

    Args:
        cfg (Config): Config with ``model``.
        checkpoint (str, optional): Checkpoint path; ``None`` / ``'none'``:
            random initialisation from ``seed``.
        seed (int): Seed of the random initialisation.
        evaluated (Sequence[str]): Key prefixes loaded strictly.

    Returns:
        nn.Module: The model (``eval()``), with ``evaluated_as`` set to the
        line naming what was loaded.
    """
    checkpoint = None if checkpoint in (None, 'none') else checkpoint
    if checkpoint is not None and not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint not found: {checkpoint}')
    init_default_scope(cfg.get('default_scope', 'mmssl'))
    model = MODELS.build(cfg.model)
    model.evaluated_as = prepare_evaluated_model(model, cfg.model, checkpoint,
                                                 seed, tuple(evaluated))
    return model.eval()


def build_split_loader(cfg: Config,
                       split: str = 'val',
                       batch_size: int = 8,
                       num_workers: int = 0,
                       num_clips: Optional[int] = None,
                       seed: int = 0,
                       edit_pipeline: Optional[Callable[[List[dict]],
                                                        List[dict]]] = None):
    """A deterministic (unshuffled) loader of one test split.

    Args:
        cfg (Config): Config with a test loader.
        split (str): ``'val'`` or ``'train'`` (retrieval gallery).
        batch_size (int): Videos per batch.
        num_workers (int): Loader worker processes.
        num_clips (int, optional): Clips per video (default: the config's).
        seed (int): Loader seed.
        edit_pipeline (Callable, optional): ``pipeline -> pipeline`` applied
            to a copy of the split's test pipeline (e.g. insert a noise
            transform).

    Returns:
        torch.utils.data.DataLoader: The loader.
    """
    work = copy.deepcopy(cfg)
    if num_clips is not None:
        set_num_clips(work, num_clips)
    datasets = split_dataset_cfgs(work)
    if split not in datasets:
        raise KeyError(f'{cfg.filename}: no split {split!r} in '
                       f'test_dataloader (has {sorted(datasets)})')
    dataset = datasets[split]
    if edit_pipeline is not None:
        dataset['pipeline'] = edit_pipeline(copy.deepcopy(
            dataset['pipeline']))
    return Runner.build_dataloader(
        dict(batch_size=batch_size,
             num_workers=num_workers,
             persistent_workers=False,
             sampler=dict(type='DefaultSampler', shuffle=False),
             dataset=dataset),
        seed=seed)
