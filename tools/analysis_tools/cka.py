"""Layer-by-layer CKA map of one model, or between two models (PNG + JSON).

Example::

    # one pretrained model against itself (supp. Figs. 8-14 of the study)
    python tools/analysis_tools/cka.py \
        configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-resframes-40e_synthmotion.py \
        work_dirs/demo_vcop/epoch_40.pth --out-dir work_dirs/cka

    # pretrained vs random initialisation, on the same clips
    python tools/analysis_tools/cka.py CONFIG CKPT --second-config CONFIG \
        --second-checkpoint none --out-dir work_dirs/cka_vs_random

Clips: the ``val`` split of the first config's test loader (its pipeline;
``--num-clips`` clips per video, each clip one example). Both models see
the same clips; each applies its own data preprocessor. Layers: forward
hooks on ``--layers`` (default: the backbone's blocks,
:func:`mmssl.evaluation.layer_activations.default_layer_names`), outputs
flattened per clip (``--pool avg``: averaged over space-time). CKA: the
minibatch estimator of Nguyen et al. 2021 (unbiased HSIC, batches of
``--batch-size`` videos, at least 4 clips each) or, with ``--full``, linear
CKA of all clips at once (Kornblith et al. 2019;
:mod:`mmssl.evaluation.functional.cka`).
"""
import argparse
import os.path as osp
import sys
import time
from collections import defaultdict

import torch
from mmengine.config import DictAction
from tqdm import tqdm

import mmssl  # noqa: F401  (allow-lists safe checkpoint types)
from mmssl.evaluation.analysis_inputs import (ANALYSIS_ERRORS,
                                              build_analysis_model,
                                              build_split_loader, load_config,
                                              start_analysis_tool)
from mmssl.evaluation.functional.cka import MinibatchCKA, linear_cka
from mmssl.evaluation.layer_activations import (LayerActivations,
                                                backbone_inputs,
                                                default_layer_names)
from mmssl.utils.json_report import emit_json_report
from mmssl.visualization.heatmap import save_matrix_heatmap


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Layer-by-layer CKA heatmap (PNG + JSON)')
    parser.add_argument('config', help='config of the (first) model; its '
                        'test loader gives the clips')
    parser.add_argument('checkpoint', help='checkpoint or "none"')
    parser.add_argument('--second-config', help='config of a second model')
    parser.add_argument('--second-checkpoint',
                        help='checkpoint or "none" of the second model')
    parser.add_argument('--layers', nargs='+',
                        help='module names of the first model (default: '
                        'backbone blocks)')
    parser.add_argument('--second-layers', nargs='+',
                        help='module names of the second model')
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--split', default='val')
    parser.add_argument('--num-clips', type=int, default=1,
                        help='clips per video (each clip is one example)')
    parser.add_argument('--batch-size', type=int, default=16,
                        help='videos per minibatch')
    parser.add_argument('--max-batches', type=int,
                        help='stop after this many minibatches')
    parser.add_argument('--pool', choices=LayerActivations.POOLS,
                        default='none')
    parser.add_argument('--full', action='store_true',
                        help='linear CKA of all clips at once (keeps every '
                        'activation in memory) instead of minibatch CKA')
    parser.add_argument('--num-workers', type=int, default=0)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--title', default='')
    parser.add_argument('--data-root')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def _full_cka(stored_rows, stored_cols, rows, cols):
    acts_r = {n: torch.cat(stored_rows[n]) for n in rows}
    acts_c = {n: torch.cat(stored_cols[n]) for n in cols}
    return torch.tensor([[linear_cka(acts_r[r], acts_c[c]) for c in cols]
                         for r in rows])


def main(argv=None) -> dict:
    args = parse_args(argv)
    start_analysis_tool('mmssl-cka')
    start = time.time()
    cfg = load_config(args.config, args.cfg_options, args.data_root)
    first = build_analysis_model(cfg, args.checkpoint, args.seed)
    two = bool(args.second_config or args.second_checkpoint)
    if two:
        cfg2 = load_config(args.second_config or args.config,
                           args.cfg_options, args.data_root)
        second = build_analysis_model(
            cfg2, args.second_checkpoint or 'none', args.seed)
    else:
        second = first
    rows = args.layers or default_layer_names(first)
    cols = (args.second_layers or args.layers or
            default_layer_names(second)) if two else rows
    hooks_r = LayerActivations(first, rows, args.pool)
    hooks_c = LayerActivations(second, cols, args.pool) if two else hooks_r
    loader = build_split_loader(cfg, args.split, args.batch_size,
                                args.num_workers, args.num_clips, args.seed)
    cka = MinibatchCKA(rows, cols)
    stored_r, stored_c = defaultdict(list), defaultdict(list)
    num_examples = 0
    with torch.no_grad():
        for index, batch in enumerate(tqdm(loader, desc='CKA batches')):
            if args.max_batches and index >= args.max_batches:
                break
            first.backbone(backbone_inputs(first, batch))
            acts_r = hooks_r.pop()
            if two:
                second.backbone(backbone_inputs(second, batch))
                acts_c = hooks_c.pop()
            else:
                acts_c = acts_r
            num_examples += len(next(iter(acts_r.values())))
            if args.full:
                for n in rows:
                    stored_r[n].append(acts_r[n])
                for n in cols:
                    stored_c[n].append(acts_c[n])
            elif len(next(iter(acts_r.values()))) >= 4:
                cka.update(acts_r, acts_c)
    hooks_r.remove()
    hooks_c.remove()
    matrix = (_full_cka(stored_r, stored_c, rows, cols)
              if args.full else cka.compute())
    def label(checkpoint):
        return ('random init' if checkpoint in (None, 'none') else
                osp.basename(checkpoint))

    label1 = label(args.checkpoint)
    label2 = label(args.second_checkpoint) if two else label1
    estimator = 'linear CKA (all clips)' if args.full else (
        f'minibatch CKA (unbiased HSIC, {cka.num_batches} batches)')
    png = osp.join(args.out_dir, 'cka.png')
    save_matrix_heatmap(
        matrix.numpy(), rows, cols, png,
        title=args.title or f'{estimator}, {num_examples} clips',
        xlabel=f'layer of {label2}', ylabel=f'layer of {label1}')
    report = dict(
        config=args.config, checkpoint=args.checkpoint,
        evaluated=first.evaluated_as,
        second_config=(args.second_config or args.config) if two else None,
        second_checkpoint=(args.second_checkpoint or 'none') if two else None,
        split=args.split, num_clips_per_video=args.num_clips,
        num_examples=num_examples, pool=args.pool, estimator=estimator,
        rows=rows, cols=cols,
        cka=[[round(float(v), 4) for v in row] for row in matrix],
        png=png, seconds=round(time.time() - start, 2))
    return emit_json_report(report, osp.join(args.out_dir, 'cka.json'))


if __name__ == '__main__':
    try:
        main()
    except ANALYSIS_ERRORS as error:
        sys.exit(f'{type(error).__name__}: {error}')
