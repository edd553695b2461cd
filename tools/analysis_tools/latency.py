"""Inference latency of a config's model: milliseconds per clip (JSON report).

The multi-task SSL paper of this project (paper 000, Table 13) reports
latency in ms without stating the hardware, batch or input; this tool makes
every one of those explicit. Random input of the config's test clip shape
goes through the model after ``--warmup`` untimed passes; each of
``--iters`` timed passes is one forward of ``--batch-size`` videos x
``--clips`` clips, timed with ``time.perf_counter`` around
``torch.cuda.synchronize()`` on CUDA (kernels are asynchronous). The report
gives the median and 90th percentile per forward and per clip, the thread
count on CPUs and the device name.

What is timed:

- a recognizer (a model with ``cls_head``, e.g. ``Recognizer3D``):
  backbone + neck + head + the clip average (``extract_feat(test_mode=True)``,
  ``cls_head``, ``cls_head.average_clip``);
- any other model (mmssl pretraining configs): the backbone's last-stage
  feature map (``extract_feat``), i.e. feature extraction for retrieval,
  probes and k-NN.

Decoding, the pipeline and the data preprocessor (uint8 -> normalised
float) are not timed; the input is already a float tensor.

Examples::

    python tools/analysis_tools/latency.py \\
        configs/benchmarks/finetune/r3d-tiny_finetune_synthmotion.py \\
        --iters 50 --warmup 10 --threads 2 --out work_dirs/latency_tiny.json

    # batch 8, 16x112x112 clips of a pretraining config on a GPU
    python tools/analysis_tools/latency.py CONFIG --device cuda \\
        --batch-size 8 --clip-len 16 --crop-size 112
"""
import argparse
import os.path as osp
import platform
import sys
import time
from typing import Callable, Optional, Tuple

import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from tqdm import tqdm

import mmssl  # noqa: F401  (allow-lists safe checkpoint types)
from mmssl.evaluation.protocol_config import iter_test_pipelines
from mmssl.registry import MODELS
from mmssl.utils import register_all_modules
from mmssl.utils.checkpoint_loading import (CheckpointMismatchError,
                                            prepare_evaluated_model)
from mmssl.utils.checkpoint_reading import CheckpointReadError
from mmssl.utils.json_report import emit_json_report

_CROPS = ('CenterCrop', 'ThreeCrop', 'TenCrop', 'RandomCrop',
          'MultiScaleCrop')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Inference latency in ms per clip (JSON report)')
    parser.add_argument('config', help='pretraining or recognizer config')
    parser.add_argument(
        '--checkpoint', help='weights (backbone loaded strictly); default: '
        'random initialisation (latency does not depend on the values)')
    parser.add_argument('--batch-size', type=int, default=1,
                        help='videos per forward (default 1)')
    parser.add_argument('--clips', type=int, default=1,
                        help='clips (views) per video and forward (default 1)')
    parser.add_argument('--clip-len', type=int,
                        help='frames per clip (default: the config\'s test '
                        'pipeline SampleFrames clip_len)')
    parser.add_argument('--crop-size', type=int, nargs='+',
                        help='H [W] of a clip (default: the test pipeline\'s '
                        'crop or fixed resize)')
    parser.add_argument('--iters', type=int, default=30,
                        help='timed forwards (default 30)')
    parser.add_argument('--warmup', type=int, default=5,
                        help='untimed forwards first (default 5)')
    parser.add_argument('--device', choices=('cpu', 'cuda'), default='cpu')
    parser.add_argument('--threads', type=int,
                        help='torch intra-op threads on CPU (default: '
                        'torch\'s, usually the number of cores)')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', help='JSON report path')
    return parser.parse_args()


def clip_shape_from_config(cfg: Config) -> Tuple[str, Optional[int],
                                                  Optional[Tuple[int, int]]]:
    """Frames and spatial size of a test clip, read from the config.

    The first dataset of ``test_dataloader`` (a recognizer's test set, a
    pretraining config's retrieval ``ConcatDataset``) is read: ``clip_len``
    of its ``SampleFrames``-like transform, and the size after its last
    crop (``crop_size`` / ``size``) or fixed ``Resize(scale=(w, h))``.

    Returns:
        tuple: ``'test_dataloader'`` (None without one), ``clip_len`` (None
        if absent), ``(H, W)`` (None if it depends on the video, e.g. only
        a short-side resize).
    """
    if not cfg.get('test_dataloader'):
        return None, None, None
    for pipeline in iter_test_pipelines(cfg):
        clip_len, size = None, None
        for t in pipeline:
            if 'clip_len' in t and clip_len is None:
                clip_len = int(t['clip_len'])
            if t.get('type') in _CROPS:
                crop = t.get('crop_size', t.get('size', t.get('input_size')))
                if isinstance(crop, int):
                    size = (crop, crop)
                elif crop is not None:  # MMAction2 sizes are (w, h)
                    size = (int(crop[1]), int(crop[0]))
            elif t.get('type') == 'Resize':
                scale = t.get('scale')
                if isinstance(scale, (tuple, list)) and min(scale) > 0 \
                        and not t.get('keep_ratio', False):
                    size = (int(scale[1]), int(scale[0]))  # (w, h) -> (h, w)
        return 'test_dataloader', clip_len, size
    return None, None, None


def forward_fn(model: torch.nn.Module,
               clips: int) -> Tuple[str, Callable[[torch.Tensor], object]]:
    """The timed forward of ``model`` on ``(B, clips, C, T, H, W)`` input."""
    if getattr(model, 'cls_head', None) is not None:

        def recognize(x):
            feats, kwargs = model.extract_feat(x, test_mode=True)
            scores = model.cls_head(feats, **kwargs)
            if hasattr(model.cls_head, 'average_clip'):
                scores = model.cls_head.average_clip(scores, num_segs=clips)
            return scores

        return 'recognizer: backbone + head + clip average', recognize
    if not hasattr(model, 'extract_feat'):
        raise TypeError(f'{type(model).__name__} has neither cls_head nor '
                        'extract_feat; cannot time it')
    return 'backbone feature map (extract_feat)', \
        lambda x: model.extract_feat(x.flatten(0, 1))


def _summary(ms: np.ndarray) -> dict:
    return dict(
        median=round(float(np.median(ms)), 3),
        p90=round(float(np.percentile(ms, 90)), 3),
        mean=round(float(ms.mean()), 3),
        min=round(float(ms.min()), 3),
        max=round(float(ms.max()), 3))


def _device_name(device: torch.device) -> str:
    if device.type == 'cuda':
        return torch.cuda.get_device_name(device)
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def measure_latency(cfg: Config,
                    checkpoint: Optional[str] = None,
                    batch_size: int = 1,
                    clips: int = 1,
                    clip_len: Optional[int] = None,
                    crop_size: Optional[Tuple[int, int]] = None,
                    iters: int = 30,
                    warmup: int = 5,
                    device: str = 'cpu',
                    threads: Optional[int] = None,
                    seed: int = 0,
                    show_progress: bool = True) -> dict:
    """Time ``iters`` forwards of the config's model after ``warmup``.

    Args:
        cfg (Config): A recognizer or mmssl pretraining config.
        checkpoint (str, optional): Weights (backbone strict).
        batch_size (int): Videos per forward.
        clips (int): Clips (views) per video.
        clip_len (int, optional): Frames per clip; default from the config.
        crop_size (tuple[int, int], optional): ``(H, W)``; default from the
            config.
        iters (int): Timed forwards (>= 1).
        warmup (int): Untimed forwards before (>= 0).
        device (str): ``'cpu'`` or ``'cuda'``.
        threads (int, optional): ``torch.set_num_threads`` on CPU.
        seed (int): Seed of the random init and the input.
        show_progress (bool): Progress bar.

    Returns:
        dict: input shape, what was timed, ``ms_per_forward`` and
        ``ms_per_clip`` (``median``, ``p90``, ``mean``, ``min``, ``max``),
        ``clips_per_second`` (from the median), device, threads, versions.

    Raises:
        ValueError: On bad counts or a clip shape that neither the config
            nor the arguments give.
    """
    for name, value, low in (('batch_size', batch_size, 1),
                             ('clips', clips, 1), ('iters', iters, 1),
                             ('warmup', warmup, 0)):
        if not isinstance(value, int) or value < low:
            raise ValueError(f'{name} must be an int >= {low}, got {value!r}')
    loader, cfg_len, cfg_size = clip_shape_from_config(cfg)
    clip_len = clip_len or cfg_len
    crop_size = tuple(crop_size) if crop_size else cfg_size
    if clip_len is None or crop_size is None:
        raise ValueError(
            f'{cfg.filename}: cannot read the clip shape from its '
            f'{loader or "(missing) test_dataloader"} (clip_len={clip_len}, '
            f'size={crop_size}); pass --clip-len and --crop-size')
    dev = torch.device(device)
    if dev.type == 'cuda' and not torch.cuda.is_available():
        raise ValueError('--device cuda but CUDA is not available')
    if threads is not None and dev.type == 'cpu':
        torch.set_num_threads(threads)
    init_default_scope(cfg.get('default_scope', 'mmssl'))
    model = MODELS.build(cfg.model)
    loaded = prepare_evaluated_model(model, cfg.model, checkpoint, seed=seed)
    model = model.to(dev).eval()
    what, fn = forward_fn(model, clips)
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(batch_size, clips, 3, clip_len, *crop_size,
                    generator=gen).to(dev)

    def sync():
        if dev.type == 'cuda':
            torch.cuda.synchronize(dev)

    times = []
    with torch.inference_mode():
        for i in tqdm(range(warmup + iters), desc='latency',
                      disable=not show_progress):
            sync()
            start = time.perf_counter()
            fn(x)
            sync()
            if i >= warmup:
                times.append((time.perf_counter() - start) * 1000)
    ms = np.array(times)
    per_clip = ms / (batch_size * clips)
    return dict(
        timed=what,
        evaluated=loaded,
        input_shape=[batch_size, clips, 3, clip_len, *crop_size],
        shape_source=dict(
            clip_len='argument' if clip_len != cfg_len else loader,
            crop_size='argument' if crop_size != cfg_size else loader),
        batch_size=batch_size,
        clips=clips,
        iters=iters,
        warmup=warmup,
        ms_per_forward=_summary(ms),
        ms_per_clip=_summary(per_clip),
        clips_per_second=round(1000 / float(np.median(per_clip)), 2),
        device=str(dev),
        device_name=_device_name(dev),
        threads=torch.get_num_threads() if dev.type == 'cpu' else None,
        params=sum(p.numel() for p in model.parameters()),
        torch=torch.__version__,
        dtype='float32')


def main() -> None:
    args = parse_args()
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(args.config)
    if args.checkpoint and not osp.isfile(args.checkpoint):
        raise FileNotFoundError(f'checkpoint not found: {args.checkpoint}')
    crop = args.crop_size
    if crop is not None and len(crop) not in (1, 2):
        raise ValueError(f'--crop-size takes H or H W, got {crop}')
    crop = None if crop is None else (crop[0], crop[-1])
    report = measure_latency(
        cfg, args.checkpoint, args.batch_size, args.clips, args.clip_len,
        crop, args.iters, args.warmup, args.device, args.threads, args.seed)
    report = dict(config=args.config,
                  checkpoint=args.checkpoint or 'random init', **report)
    emit_json_report(report, args.out)


if __name__ == '__main__':
    try:
        main()
    except (CheckpointMismatchError, CheckpointReadError, FileNotFoundError,
            ValueError) as error:
        sys.exit(f'{type(error).__name__}: {error}')
