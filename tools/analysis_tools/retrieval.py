"""Video retrieval Recall@k of a (pre)trained backbone, with a JSON report.

Example::

    python tools/analysis_tools/retrieval.py \
        configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py \
        work_dirs/vcop/epoch_40.pth --out work_dirs/vcop/retrieval.json

    # the same protocol on a randomly initialised backbone
    python tools/analysis_tools/retrieval.py CONFIG none --seed 0

    # a TCLR-family UCF101 checkpoint on HMDB51 split 1, 9 clips per video
    python tools/analysis_tools/retrieval.py CONFIG CKPT --num-clips 9 \
        --data-config configs/_base_/datasets/hmdb51_split1_tclr_retrieval.py

    # variants: R@1..50, clips of the queries against gallery videos,
    # gallery-mean-centred features, Euclidean instead of cosine
    python tools/analysis_tools/retrieval.py CONFIG CKPT --ks 1 5 10 20 50 \
        --query-level clip --gallery-level video --center --no-l2

    # the search by faiss (optional package faiss-cpu; float32)
    python tools/analysis_tools/retrieval.py CONFIG CKPT --backend faiss

The config's ``test_dataloader`` defines gallery (``retrieval_split='train'``)
and query (``'test'``) videos and the clips sampled per video; its
``test_evaluator`` sets the feature (``feature_key``: ``feats`` 3-D pooled,
``time_feats`` TCLR's time-kept features; docs/protocols/retrieval.md).
``--data-config``, ``--num-clips``, ``--feature``, ``--ks``, the levels and
``--center`` / ``--no-l2`` change the protocol without editing it. The
report has the recall of every query class (``per_class``).
"""
import argparse
import os.path as osp
import sys
import time

import torch
from mmengine.config import Config, DictAction
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from tqdm import tqdm

import mmssl  # noqa: F401  (allow-lists safe checkpoint types)
from mmssl.evaluation.functional.retrieval_faiss import BACKENDS
from mmssl.evaluation.metrics.retrieval_metric import LEVELS
from mmssl.evaluation.protocol_config import (num_clips_of,
                                              retrieval_metric_cfg,
                                              set_feature_key, set_num_clips,
                                              use_data_config)
from mmssl.registry import METRICS, MODELS
from mmssl.utils import quiet_ffmpeg, register_all_modules
from mmssl.utils.checkpoint_loading import (CheckpointMismatchError,
                                            prepare_evaluated_model)
from mmssl.utils.checkpoint_reading import CheckpointReadError
from mmssl.utils.config_overrides import apply_overrides
from mmssl.utils.config_validation import ConfigError
from mmssl.utils.json_report import emit_json_report

#: The tool's cut-offs: the usual 1-20 plus 50, which several papers add.
DEFAULT_KS = (1, 5, 10, 20, 50)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Retrieval Recall@k of a backbone (JSON report)')
    parser.add_argument('config', help='config with a retrieval test loader')
    parser.add_argument(
        'checkpoint', help='checkpoint, or "none" for random initialisation')
    parser.add_argument('--out', help='JSON report path')
    parser.add_argument(
        '--seed', type=int, default=0, help='seed (random init, sampling)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override config settings, key=value')
    parser.add_argument(
        '--data-root',
        help='dataset root: every config path under the config\'s data_root '
        'moves here (same as --cfg-options data_root=DIR)')
    parser.add_argument(
        '--data-config',
        help='take test_dataloader/test_evaluator/data_root from this config '
        '(e.g. configs/_base_/datasets/hmdb51_split1_tclr_retrieval.py)')
    parser.add_argument(
        '--num-clips',
        type=int,
        help='clips per video of every test-mode sampler (TCLR code: 9, '
        'STCLR: 10 or 9, VCOP: 10)')
    parser.add_argument(
        '--feature',
        choices=('feats', 'time_feats'),
        help='video feature: feats (3-D pooled) or time_feats (spatially '
        'pooled, time kept and flattened: TCLR/STCLR)')
    parser.add_argument(
        '--ks',
        type=int,
        nargs='+',
        default=list(DEFAULT_KS),
        help='Recall@k cut-offs (default: 1 5 10 20 50; a k above the '
        'gallery size is clipped with a warning)')
    parser.add_argument(
        '--query-level',
        choices=LEVELS,
        default='video',
        help='video: one query per video (clip-averaged feature); clip: '
        'every clip of a query video is its own query')
    parser.add_argument(
        '--gallery-level',
        choices=LEVELS,
        default='video',
        help='video: one gallery item per video; clip: one per clip')
    parser.add_argument(
        '--center',
        action='store_true',
        help='subtract the gallery mean from all features before the search')
    parser.add_argument(
        '--no-l2',
        action='store_true',
        help='Euclidean distance of the raw features instead of cosine '
        'similarity (no L2 normalisation)')
    parser.add_argument(
        '--backend',
        choices=BACKENDS,
        default='torch',
        help="search backend: 'torch' (exact, default) or 'faiss' (needs "
        'the optional faiss-cpu package; float32, ties at the k-th place '
        'unresolved)')
    return parser.parse_args()


def set_retrieval_variant(cfg: Config,
                          ks=DEFAULT_KS,
                          query_level: str = 'video',
                          gallery_level: str = 'video',
                          center: bool = False,
                          l2_normalize: bool = True,
                          backend: str = 'torch') -> dict:
    """Write the variant options into the config's ``RetrievalMetric``.

    Returns:
        dict: The (changed) metric config.
    """
    metric_cfg = retrieval_metric_cfg(cfg)
    metric_cfg.update(
        ks=tuple(ks),
        query_level=query_level,
        gallery_level=gallery_level,
        center=center,
        l2_normalize=l2_normalize,
        backend=backend)
    return metric_cfg


def evaluate_retrieval(cfg: Config,
                       checkpoint: str = None,
                       seed: int = 0,
                       show_progress: bool = True) -> dict:
    """Extract features of the test loader's videos and compute Recall@k.

    Args:
        cfg (Config): Config with ``model``, ``test_dataloader`` and
            optionally a ``RetrievalMetric`` ``test_evaluator``.
        checkpoint (str, optional): Weights to load, strictly for the
            backbone (:func:`prepare_evaluated_model`, shared with
            ``tools/test.py``); ``None`` keeps the random initialisation
            (seeded by ``seed``).
        seed (int): Seed for initialisation and data sampling.
        show_progress (bool): Show a progress bar.

    Returns:
        dict: ``{'R@k': recall, ...}``, counts, the variant, ``per_class``
        (``{label: {'R@k': recall}}``, with ``num_queries``) and timing.
    """
    init_default_scope(cfg.get('default_scope', 'mmssl'))
    # keep weight-initialisation reports out of the console
    MMLogger.get_instance('mmssl-retrieval', log_level='WARNING')
    model = MODELS.build(cfg.model)
    print(prepare_evaluated_model(model, cfg.model, checkpoint, seed=seed))
    model.eval()
    metric = METRICS.build(retrieval_metric_cfg(cfg))
    if 'clip' in (metric.query_level, metric.gallery_level):
        model.keep_clip_features = True
    loader = Runner.build_dataloader(cfg.test_dataloader, seed=seed)
    start = time.time()
    with torch.no_grad():
        for batch in tqdm(
                loader, desc='retrieval features', disable=not show_progress):
            metric.process(batch, model.test_step(batch))
    splits = [r['split'] if isinstance(r, dict) and 'split' in r else None
              for r in metric.results]
    scores = metric.evaluate(len(loader.dataset))
    report = {key.split('/')[-1]: value for key, value in scores.items()}
    report.update(
        num_videos=len(loader.dataset),
        num_gallery=splits.count(metric.gallery_split)
        if None not in splits else None,
        num_query=splits.count(metric.query_split)
        if None not in splits else None,
        feature=metric.feature_key,
        num_clips=num_clips_of(cfg),
        query_level=metric.query_level,
        gallery_level=metric.gallery_level,
        center=metric.center,
        l2_normalize=metric.l2_normalize,
        backend=metric.backend,
        num_query_items=metric.last_report['num_query_items'],
        num_gallery_items=metric.last_report['num_gallery_items'],
        per_class={
            str(label): dict(
                num_queries=metric.last_report['num_queries'][label],
                **{f'R@{k}': v
                   for k, v in recall.items()})
            for label, recall in metric.last_report['per_class'].items()
        },
        seconds=round(time.time() - start, 1))
    return report


def main() -> None:
    args = parse_args()
    quiet_ffmpeg()
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(args.config)
    if args.data_config:
        use_data_config(cfg, args.data_config)
    cfg = apply_overrides(cfg, args.cfg_options, args.data_root)
    if args.num_clips is not None:
        set_num_clips(cfg, args.num_clips)
    if args.feature is not None:
        set_feature_key(cfg, args.feature)
    set_retrieval_variant(cfg, args.ks, args.query_level, args.gallery_level,
                          args.center, not args.no_l2, args.backend)
    checkpoint = None if args.checkpoint.lower() == 'none' else args.checkpoint
    if checkpoint is not None and not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint not found: {checkpoint}')
    report = evaluate_retrieval(cfg, checkpoint, seed=args.seed)
    report = dict(
        config=args.config,
        checkpoint=checkpoint or 'random init',
        data_config=args.data_config,
        seed=args.seed,
        **report)
    emit_json_report(report, args.out)


if __name__ == '__main__':
    try:
        main()
    except (CheckpointMismatchError, CheckpointReadError, ConfigError,
            FileNotFoundError, ImportError) as error:
        sys.exit(f'{type(error).__name__}: {error}')
