"""Cost of the shuffle similarity against MoCo's cosine similarity.

Segment sample-rate order prediction (IEEE TCSVT 2021), Sec. III-F: the
contrastive loss compares each query with its key and with every key of the
queue through the minimum matching distance of Algorithm 1
(``mmssl.models.losses.shuffle_distance``) instead of the cosine
similarity. This tool times both, interleaved in one process (alternating
A, B, A, B ... so that load changes on a shared machine hit both alike),
and prints medians and their ratio as JSON:

- ``loss``: forward + backward of the contrastive loss alone
  (``QueueInfoNCELoss`` vs ``ShuffleInfoNCELoss``) for ``--batch`` queries
  against a queue of ``--queue`` keys;
- ``iteration`` (with ``--config``): a whole ``train_step`` of the
  ``SegmentRateOrder`` model of the config (backbone, heads, key encoder,
  queue update; queue size ``--queue``) on random clips, once with the
  config's shuffle-similarity loss and once with the cosine loss
  (``view_synthesizer`` removed, so both runs do the same work besides
  the similarity).

Example (the paper setting: queue 16384, batch 16; the command and the
numbers are in docs/methods/segment_rate_order.md)::

    OMP_NUM_THREADS=1 python \\
        tools/analysis_tools/shuffle_similarity_benchmark.py \\
        --queue 16384 --batch 16 --config CONFIG
"""
import argparse
import json
import statistics
import time
from typing import Callable, Dict, List

import torch


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--queue', type=int, default=16384)
    parser.add_argument('--batch', type=int, default=16)
    parser.add_argument('--dim', type=int, default=126,
                        help='embedding size (divisible by --parts)')
    parser.add_argument('--parts', type=int, default=3)
    parser.add_argument('--repeats', type=int, default=30,
                        help='timed repeats of the loss per variant')
    parser.add_argument('--config', default=None,
                        help='SegmentRateOrder config: also time train steps')
    parser.add_argument('--iters', type=int, default=3,
                        help='timed train steps per variant (after one '
                        'warm-up step each)')
    parser.add_argument('--clip-shape', type=int, nargs=3, default=None,
                        metavar=('T', 'H', 'W'),
                        help='clip size of the train steps (default: the '
                        "config's sampler clip_len and 112x112)")
    return parser.parse_args()


def interleaved_medians(fns: Dict[str, Callable[[], None]],
                        repeats: int) -> Dict[str, float]:
    """Median seconds of each callable, timed alternately."""
    times: Dict[str, List[float]] = {name: [] for name in fns}
    for _ in range(repeats):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def loss_benchmark(args: argparse.Namespace) -> dict:
    from mmssl.models.losses import QueueInfoNCELoss, ShuffleInfoNCELoss
    gen = torch.Generator().manual_seed(0)
    query = torch.randn(args.batch, args.dim, generator=gen)
    key = torch.randn(args.batch, args.dim, generator=gen)
    queue = torch.randn(args.queue, args.dim, generator=gen)
    losses = dict(
        cosine=QueueInfoNCELoss(), shuffle=ShuffleInfoNCELoss(args.parts))

    def step(loss_fn):
        q = query.clone().requires_grad_(True)
        loss_fn(q, key, queue=queue).backward()

    fns = {name: (lambda fn=fn: step(fn)) for name, fn in losses.items()}
    for fn in fns.values():  # warm-up
        fn()
    med = interleaved_medians(fns, args.repeats)
    return dict(
        cosine_ms=1e3 * med['cosine'],
        shuffle_ms=1e3 * med['shuffle'],
        ratio=med['shuffle'] / med['cosine'])


def build_model(cfg, cosine: bool, queue: int):
    from mmssl.registry import MODELS
    model_cfg = cfg.model.copy()
    model_cfg.update(view_synthesizer=None, queue_size=queue)
    if cosine:
        model_cfg['loss_contrast'] = dict(
            type='QueueInfoNCELoss', temperature=0.07)
    torch.manual_seed(0)
    model = MODELS.build(model_cfg)
    model.init_weights()
    return model


def iteration_benchmark(args: argparse.Namespace) -> dict:
    from mmaction.structures import ActionDataSample
    from mmengine.config import Config
    from mmengine.optim import OptimWrapper
    from mmengine.registry import init_default_scope
    init_default_scope('mmssl')
    cfg = Config.fromfile(args.config)
    sampler = [
        t for t in cfg.train_dataloader.dataset.pipeline
        if t['type'] == 'SegmentRateOrderSampleClips'
    ][0]
    t, h, w = args.clip_shape or (sampler.get('clip_len', 16), 112, 112)
    n = sampler.get('num_segments', 3)
    gen = torch.Generator().manual_seed(0)
    data_samples = []
    for i in range(args.batch):
        sample = ActionDataSample().set_gt_labels(0)
        sample.set_field(torch.tensor(i % 6), 'order_label')
        sample.set_field(torch.arange(1, n + 1), 'segment_rates')
        data_samples.append(sample)
    data = dict(
        inputs=[
            torch.randint(0, 255, (2, 3, t, h, w), generator=gen).float()
            for _ in range(args.batch)
        ],
        data_samples=data_samples)
    models = {
        'cosine': build_model(cfg, True, args.queue),
        'shuffle': build_model(cfg, False, args.queue)
    }
    wrappers = {
        name: OptimWrapper(torch.optim.SGD(m.parameters(), lr=1e-3))
        for name, m in models.items()
    }
    fns = {
        name: (lambda name=name: models[name].train_step(data,
                                                          wrappers[name]))
        for name in models
    }
    for fn in fns.values():  # warm-up
        fn()
    med = interleaved_medians(fns, args.iters)
    return dict(
        config=args.config,
        clip_shape=[t, h, w],
        cosine_s=med['cosine'],
        shuffle_s=med['shuffle'],
        ratio=med['shuffle'] / med['cosine'])


def main() -> None:
    args = parse_args()
    from mmengine.logging import MMLogger

    # keep the weight-initialisation log out of the JSON on stdout
    MMLogger.get_instance('shuffle_similarity_benchmark', log_level='WARNING')
    report = dict(
        queue=args.queue,
        batch=args.batch,
        dim=args.dim,
        parts=args.parts,
        threads=torch.get_num_threads(),
        loss=loss_benchmark(args))
    if args.config:
        report['iteration'] = iteration_benchmark(args)
    print(json.dumps(report, indent=2))


if __name__ == '__main__':
    main()
