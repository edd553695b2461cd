"""Accuracy of a fine-tuned model on clean and noisy test sets (JSON + PNG).

Example::

    python tools/analysis_tools/noise_robustness.py \
        configs/benchmarks/finetune/r3d-tiny-resframes_finetune_synthmotion.py \
        work_dirs/ft/epoch_20.pth --out-dir work_dirs/noise

    # the study's single-severity table (Table 4 uses one level)
    python tools/analysis_tools/noise_robustness.py CONFIG CKPT \
        --out-dir DIR --severities 3

The config is a fine-tuning config (``Recognizer3D`` + a classifying test
loader, configs/benchmarks/finetune/); the checkpoint must hold its
``backbone.`` and ``cls_head.`` weights (loaded strictly). The test set is
scored clean and once per noise x severity with
:class:`mmssl.datasets.transforms.ClipNoise` inserted into the test
pipeline (ImageNet-C's Gaussian / shot / impulse / speckle noise, seeded
per video and frame). The report gives top-1 per setting and the study's
relative robustness score ``(A_clean - A_noisy) / A_clean`` (Sec. 4.4);
the chart plots both against severity (docs/analysis/noise_robustness.md).
"""
import argparse
import os.path as osp
import sys
import time

import torch
from mmengine.config import DictAction
from tqdm import tqdm

import mmssl  # noqa: F401  (allow-lists safe checkpoint types)
from mmssl.datasets.transforms.corruptions import NOISE_SEVERITIES
from mmssl.evaluation.analysis_inputs import (ANALYSIS_ERRORS,
                                              build_analysis_model,
                                              build_split_loader, load_config,
                                              start_analysis_tool)
from mmssl.evaluation.functional.robustness import (prediction_scores_labels,
                                                    relative_robustness,
                                                    top1_accuracy)
from mmssl.utils.json_report import emit_json_report

DECODERS = ('DecordDecodeUnion', 'DecordDecode', 'PyAVDecode')


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Noise robustness of a fine-tuned model (JSON + PNG)')
    parser.add_argument('config', help='fine-tuning config')
    parser.add_argument('checkpoint', help='fine-tuned checkpoint or "none"')
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--noises', nargs='+', default=list(NOISE_SEVERITIES),
                        choices=list(NOISE_SEVERITIES))
    parser.add_argument('--severities', nargs='+', type=int,
                        default=[1, 2, 3, 4, 5], choices=[1, 2, 3, 4, 5])
    parser.add_argument('--position', choices=('input', 'decoded'),
                        default='input',
                        help='corrupt the network input (before FormatShape,'
                        ' as ImageNet-C) or the decoded frames')
    parser.add_argument('--shared-across-frames', action='store_true',
                        help='one noise stream for every frame of a video')
    parser.add_argument('--split', default='val')
    parser.add_argument('--num-clips', type=int,
                        help='clips per video (default: the config\'s)')
    parser.add_argument('--batch-size', type=int, default=8)
    parser.add_argument('--num-workers', type=int, default=0)
    parser.add_argument('--seed', type=int, default=0,
                        help='seed of the noise (and of a random init)')
    parser.add_argument('--data-root')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def insert_noise(pipeline: list, noise_cfg: dict, position: str) -> list:
    """``pipeline`` with ``noise_cfg`` before ``FormatShape`` (``input``)
    or after the decode transform (``decoded``)."""
    types = [t['type'] for t in pipeline]
    if position == 'input':
        if 'FormatShape' not in types:
            raise ValueError(f'no FormatShape in the test pipeline {types}')
        index = types.index('FormatShape')
    else:
        found = [i for i, t in enumerate(types) if t in DECODERS]
        if not found:
            raise ValueError(f'no decode transform ({DECODERS}) in the test '
                             f'pipeline {types}')
        index = found[0] + 1
    return pipeline[:index] + [noise_cfg] + pipeline[index:]


def evaluate(model, loader, desc: str) -> float:
    """Top-1 (%) of ``model`` over ``loader``."""
    scores, labels = [], []
    with torch.no_grad():
        for batch in tqdm(loader, desc=desc, leave=False):
            s, l_ = prediction_scores_labels(model.test_step(batch))
            scores.append(s)
            labels.append(l_)
    return top1_accuracy(torch.cat(scores), torch.cat(labels))


def plot(report: dict, out: str) -> str:
    """Top-1 and relative robustness against severity, one line per noise."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, (ax_acc, ax_rob) = plt.subplots(1, 2, figsize=(9, 3.4))
    for noise, rows in report['results'].items():
        sev = [r['severity'] for r in rows]
        ax_acc.plot(sev, [r['top1'] for r in rows], '-o', ms=3, label=noise)
        ax_rob.plot(sev, [r['relative_robustness'] for r in rows], '-o',
                    ms=3, label=noise)
    ax_acc.axhline(report['clean_top1'], color='k', ls='--', lw=1,
                   label='clean')
    ax_acc.set(xlabel='severity', ylabel='top-1 (%)',
               title='accuracy under noise')
    ax_rob.axhline(0, color='k', lw=0.5)
    ax_rob.set(xlabel='severity', ylabel='(A_clean - A_noisy) / A_clean',
               title='relative robustness (lower is better)')
    for ax in (ax_acc, ax_rob):
        ax.grid(alpha=0.3)
        ax.set_xticks(sorted({r['severity'] for rows in
                              report['results'].values() for r in rows}))
    ax_acc.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(out, dpi=100)
    plt.close(fig)
    return out


def main(argv=None) -> dict:
    args = parse_args(argv)
    start_analysis_tool('mmssl-noise')
    start = time.time()
    cfg = load_config(args.config, args.cfg_options, args.data_root)
    model = build_analysis_model(cfg, args.checkpoint, args.seed,
                                 evaluated=('backbone.', 'cls_head.'))

    def loader(noise_cfg=None):
        edit = None if noise_cfg is None else (
            lambda p: insert_noise(p, noise_cfg, args.position))
        return build_split_loader(cfg, args.split, args.batch_size,
                                  args.num_workers, args.num_clips,
                                  args.seed, edit)

    clean_loader = loader()
    clean = evaluate(model, clean_loader, 'clean')
    settings = [(n, s) for n in args.noises for s in args.severities]
    results = {}
    for noise, severity in tqdm(settings, desc='noise x severity'):
        noisy = evaluate(
            model,
            loader(dict(type='ClipNoise', noise=noise, severity=severity,
                        seed=args.seed,
                        shared_across_frames=args.shared_across_frames)),
            f'{noise}-{severity}')
        results.setdefault(noise, []).append(dict(
            severity=severity,
            constant=NOISE_SEVERITIES[noise][severity - 1],
            top1=round(noisy, 2),
            relative_robustness=round(relative_robustness(clean, noisy), 4)
            if clean > 0 else None))
    summary = {
        noise: dict(
            mean_top1=round(sum(r['top1'] for r in rows) / len(rows), 2),
            mean_relative_robustness=round(
                sum(r['relative_robustness'] for r in rows) / len(rows), 4)
            if clean > 0 else None)
        for noise, rows in results.items()
    }
    report = dict(
        config=args.config, checkpoint=args.checkpoint,
        evaluated=model.evaluated_as, split=args.split,
        num_videos=len(clean_loader.dataset), position=args.position,
        shared_across_frames=args.shared_across_frames, seed=args.seed,
        clean_top1=round(clean, 2), results=results, summary=summary,
        png=osp.join(args.out_dir, 'noise_robustness.png'))
    report['seconds'] = round(time.time() - start, 1)
    emit_json_report(report, osp.join(args.out_dir, 'noise_robustness.json'))
    if clean > 0:
        plot(report, report['png'])
    return report


if __name__ == '__main__':
    try:
        main()
    except ANALYSIS_ERRORS as error:
        sys.exit(f'{type(error).__name__}: {error}')
