"""Python API in MMAction2's style: build a model, embed videos.

Example::

    >>> from mmssl.apis import init_model, extract_features
    >>> config = 'configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_' \
    ...     'synthmotion.py'
    >>> model = init_model(config, 'work_dirs/vcop/epoch_40.pth', 'cpu')
    >>> out = extract_features(model, ['a.mp4', 'b.mp4'], clip_level=True)
    >>> out['video'].shape, out['clips'].shape  # (2, D), (2, K * crops, D)

The clips and their preprocessing are the config's test pipeline (the
retrieval protocol: ``K`` clips per video sampled uniformly, decoded once
per video, centre / three / ten crops), run through the loader and the
per-video loop of the evaluation feature cache
(:func:`mmssl.evaluation.feature_cache.iter_predictions`), so an embedding
here equals the feature the retrieval, k-NN and linear-probe protocols use.
"""
import copy
import os
import os.path as osp
import tempfile
from typing import Iterator, Optional, Sequence, Tuple, Union

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmssl.evaluation.feature_cache import (build_feature_loader,
                                            iter_predictions)
from mmssl.evaluation.feature_views import set_num_crops, split_dataset_cfgs
from mmssl.evaluation.protocol_config import set_num_clips
from mmssl.registry import MODELS
from mmssl.utils.checkpoint_loading import prepare_evaluated_model
from mmssl.utils.config_overrides import apply_overrides

__all__ = ['init_model', 'extract_features', 'iter_video_embeddings']


def init_model(config: Union[str, Config],
               checkpoint: Optional[str] = None,
               device: Union[str, torch.device] = 'cpu',
               cfg_options: Optional[dict] = None,
               seed: int = 0) -> torch.nn.Module:
    """Build the model of ``config`` and load ``checkpoint`` for inference.

    Args:
        config (str | Config): Config file or object.
        checkpoint (str, optional): Checkpoint whose ``backbone.*`` weights
            must fit exactly (:class:`CheckpointMismatchError` otherwise);
            other parts load if they fit. ``None`` or ``'none'``: random
            initialisation from ``seed`` (the protocols' random baseline).
        device (str | torch.device): Where the model runs.
        cfg_options (dict, optional): Overrides, as ``--cfg-options``
            (``data_root`` moves every dataset path under it).
        seed (int): Seed of the random initialisation.

    Returns:
        nn.Module: The model in eval mode on ``device``, with the resolved
        config as ``model.cfg``.
    """
    from mmssl.utils import register_all_modules
    if isinstance(config, str):
        config = Config.fromfile(config)
    elif not isinstance(config, Config):
        raise TypeError(f'config must be a path or Config, got '
                        f'{type(config).__name__}')
    cfg = apply_overrides(copy.deepcopy(config), cfg_options)
    register_all_modules(init_default_scope=False)
    init_default_scope(cfg.get('default_scope', 'mmssl'))
    model = MODELS.build(cfg.model)
    checkpoint = None if checkpoint in (None, 'none') else checkpoint
    if checkpoint is not None and not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint not found: {checkpoint}')
    prepare_evaluated_model(model, cfg.model, checkpoint, seed)
    model.cfg = cfg
    return model.to(device).eval()


def _test_pipeline(cfg: Config, num_clips: Optional[int],
                   num_crops: int) -> list:
    work = copy.deepcopy(cfg)
    if num_clips is not None:
        set_num_clips(work, num_clips)
    splits = split_dataset_cfgs(work)
    pipeline = splits.get('val', next(iter(splits.values())))['pipeline']
    return set_num_crops(copy.deepcopy(pipeline), num_crops)


def _write_list(videos: Sequence[str], directory: str) -> str:
    ann_file = osp.join(directory, 'videos.txt')
    with open(ann_file, 'w', encoding='utf-8') as f:
        for video in videos:
            if '"' in video or '\n' in video:
                raise ValueError(f'unsupported character in path {video!r}')
            f.write(f'"{osp.abspath(video)}"\n')
    return ann_file


def iter_video_embeddings(model: torch.nn.Module,
                          videos: Sequence[str],
                          num_clips: Optional[int] = None,
                          num_crops: int = 1,
                          feature: str = 'feats',
                          batch_size: int = 8,
                          num_workers: int = 0,
                          seed: int = 0,
                          show_progress: bool = False
                          ) -> Iterator[Tuple[str, torch.Tensor,
                                              torch.Tensor]]:
    """Embed ``videos`` one by one, in order.

    Args: as :func:`extract_features`.

    Yields:
        tuple: ``(path, video (D,), clips (V, D))``, float32 on the CPU;
        ``V`` = clips x crops, ``video`` is their mean (a model that is not
        an mmssl algorithm gives no per-clip features: ``clips`` is then
        ``video[None]``).
    """
    cfg = getattr(model, 'cfg', None)
    if cfg is None:
        raise AttributeError('model has no .cfg; build it with init_model')
    videos = [str(v) for v in videos]
    for video in videos:
        if not osp.isfile(video):
            raise FileNotFoundError(f'video not found: {video}')
    pipeline = _test_pipeline(cfg, num_clips, num_crops)
    # mmssl algorithms attach per-clip features on request; other models
    # (e.g. a fine-tuned recognizer) give the video feature only
    keep_clips = getattr(model, 'keep_clip_features', None)
    if keep_clips is not None:
        model.keep_clip_features = True
    try:
        with tempfile.TemporaryDirectory(prefix='mmssl-embed-') as tmp:
            dataset = dict(
                type='VideoListDataset',
                ann_file=_write_list(videos, tmp),
                data_prefix=dict(video=''),
                pipeline=pipeline,
                allow_unlabelled=True,
                test_mode=True)
            loader = build_feature_loader(dataset, batch_size, num_workers,
                                          seed)
            samples = iter_predictions(model, loader, feature, 'embedding',
                                       show_progress)
            for video, sample in zip(videos, samples):
                embedding = sample.get(feature).detach().float().cpu()
                clips = sample.get(f'{feature}_per_clip')
                clips = embedding[None] if clips is None else \
                    clips.detach().float().cpu()
                yield video, embedding, clips
    finally:
        if keep_clips is not None:
            model.keep_clip_features = keep_clips


def extract_features(model: torch.nn.Module,
                     video_or_list: Union[str, os.PathLike, Sequence[str]],
                     num_clips: Optional[int] = None,
                     num_crops: int = 1,
                     feature: str = 'feats',
                     clip_level: bool = False,
                     batch_size: int = 8,
                     num_workers: int = 0,
                     seed: int = 0,
                     show_progress: bool = False) -> dict:
    """Video (and clip) embeddings of one video or a list of videos.

    Args:
        model (nn.Module): From :func:`init_model` (uses ``model.cfg``'s
            test pipeline).
        video_or_list (str | Sequence[str]): A video file, or video files.
        num_clips (int, optional): Clips per video ``K`` (default: the
            config's test-mode ``SampleFrames.num_clips``).
        num_crops (int): Crops per clip: 1 (centre), 3 or 10.
        feature (str): ``'feats'`` (3-D average pooled, ``D`` = channels)
            or ``'time_feats'`` (time kept, TCLR's retrieval feature).
        clip_level (bool): Also return the per-clip embeddings.
        batch_size (int): Videos per forward.
        num_workers (int): Decoding worker processes (0: in this process).
        seed (int): Loader seed.
        show_progress (bool): Show a progress bar.

    Returns:
        dict: ``video``: ``(D,)`` for one video, ``(N, D)`` for a list, the
        mean over the clip embeddings (as the retrieval protocol);
        ``clips`` (if ``clip_level``): ``(V, D)`` / ``(N, V, D)``, ``V`` =
        clips x crops; ``filenames``: the videos in order.

    Raises:
        FileNotFoundError: A video does not exist.
        VideoReadError: A video cannot be decoded (the message names it).
    """
    if clip_level and not hasattr(model, 'keep_clip_features'):
        raise ValueError(f'{type(model).__name__} gives no per-clip '
                         'features (an mmssl algorithm does); use '
                         'clip_level=False')
    single = isinstance(video_or_list, (str, os.PathLike))
    videos = [video_or_list] if single else list(video_or_list)
    if not videos:
        raise ValueError('no videos given')
    results = list(iter_video_embeddings(
        model, videos, num_clips, num_crops, feature, batch_size,
        num_workers, seed, show_progress))
    out = dict(
        video=torch.stack([r[1] for r in results]),
        filenames=[r[0] for r in results])
    if clip_level:
        out['clips'] = torch.stack([r[2] for r in results])
    if single:
        out['video'] = out['video'][0]
        if clip_level:
            out['clips'] = out['clips'][0]
    return out
