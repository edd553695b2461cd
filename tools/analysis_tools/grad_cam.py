"""Grad-CAM maps of a 3D backbone overlaid on clip frames (PNG + JSON).

Example::

    # a fine-tuned recognizer: maps of its predicted class
    python tools/analysis_tools/grad_cam.py \
        configs/benchmarks/finetune/r3d-tiny-resframes_finetune_synthmotion.py \
        work_dirs/ft/epoch_20.pth --classes data/synthmotion/classes.txt \
        --out-dir work_dirs/cam

    # a pretrained encoder (no classifier): maps of its feature norm
    python tools/analysis_tools/grad_cam.py CONFIG CKPT --out-dir DIR

Clips: one video per class of the config's test split (``val``; drawn
with ``--seed``, ``--videos`` at most), the first clip of its test
pipeline. Score: a recognizer's class score (``--target pred``: the
predicted class, ``label``: the true one); a model without ``cls_head``:
the squared L2 norm of the pooled backbone feature. Layer: ``--layer``
(default: the backbone's last block). Maps: :func:`mmssl.visualization.
grad_cam.grad_cam` (Selvaraju et al. 2017, per-clip [0, 1]).
"""
import argparse
import os.path as osp
import sys

import numpy as np
import torch
import torch.nn.functional as F
from mmengine.config import DictAction
from mmengine.dataset import pseudo_collate
from tqdm import tqdm

import mmssl  # noqa: F401  (allow-lists safe checkpoint types)
from mmssl.datasets.subsets import read_class_names
from mmssl.evaluation.analysis_inputs import (ANALYSIS_ERRORS,
                                              build_analysis_model,
                                              build_split_loader, load_config,
                                              start_analysis_tool)
from mmssl.evaluation.layer_activations import (LayerActivations,
                                                backbone_inputs,
                                                default_layer_names)
from mmssl.utils.json_report import emit_json_report
from mmssl.visualization.grad_cam import grad_cam, overlay_heatmap
from mmssl.visualization.png import save_figure_small
from mmssl.visualization.selection import one_per_class


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Grad-CAM of a 3D backbone on clip frames (PNG + JSON)')
    parser.add_argument('config')
    parser.add_argument('checkpoint', help='checkpoint or "none"')
    parser.add_argument('--out-dir', required=True)
    parser.add_argument('--layer', help='target module (default: the '
                        "backbone's last block)")
    parser.add_argument('--target', choices=('pred', 'label'),
                        default='pred')
    parser.add_argument('--videos', type=int, default=4)
    parser.add_argument('--frames', type=int, default=4,
                        help='frames shown per clip')
    parser.add_argument('--split', default='val')
    parser.add_argument('--classes', help='class names, one per line')
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--data-root')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args(argv)


def deepest_spatial_layer(model, clip: torch.Tensor, min_side: int = 4) -> str:
    """The deepest backbone block whose output keeps at least
    ``min_side`` x ``min_side`` positions (a 1x1 map cannot localise);
    the first block if none does."""
    names = default_layer_names(model)
    with LayerActivations(model, names) as hooks:
        shapes = {}
        handles = [dict(model.named_modules())[n].register_forward_hook(
            lambda m, a, o, n=n: shapes.__setitem__(
                n, (o[0] if isinstance(o, (tuple, list)) else o).shape))
            for n in names]
        with torch.no_grad():
            model.backbone(clip)
        for handle in handles:
            handle.remove()
        hooks.pop()
    spatial = [n for n in names if len(shapes.get(n, ())) == 5
               and min(shapes[n][-2:]) >= min_side]
    return spatial[-1] if spatial else names[0]


def score_function(model, target: str, labels: torch.Tensor):
    """``(N, C, T, H, W) -> (N,)`` scores and a description."""
    if getattr(model, 'cls_head', None) is not None:

        def forward(x):
            scores = model.cls_head(model.backbone(x))
            chosen = scores.detach().argmax(dim=1) if target == 'pred' \
                else labels
            forward.classes = chosen
            return scores.gather(1, chosen.view(-1, 1))[:, 0]

        return forward, f'{target} class score'

    def forward(x):
        feats = model.backbone(x)
        if isinstance(feats, (tuple, list)):
            feats = feats[-1]
        forward.classes = None
        return feats.flatten(2).mean(dim=2).pow(2).sum(dim=1)

    return forward, 'squared L2 norm of the pooled backbone feature'


def main(argv=None) -> dict:
    args = parse_args(argv)
    start_analysis_tool('mmssl-grad-cam')
    cfg = load_config(args.config, args.cfg_options, args.data_root)
    is_recognizer = 'cls_head' in cfg.model
    model = build_analysis_model(
        cfg, args.checkpoint, args.seed,
        ('backbone.', 'cls_head.') if is_recognizer else ('backbone.', ))
    dataset = build_split_loader(cfg, args.split, num_clips=1,
                                 seed=args.seed).dataset
    labels = np.array([int(dataset.get_data_info(i)['label'])
                       for i in range(len(dataset))])
    chosen = one_per_class(labels, args.videos, args.seed)
    batch = pseudo_collate([dataset[i] for i in chosen])
    inputs = backbone_inputs(model, batch)
    layer_name = args.layer or deepest_spatial_layer(model, inputs[:1])
    modules = dict(model.named_modules())
    if layer_name not in modules:
        raise KeyError(f'{type(model).__name__} has no module {layer_name!r}'
                       f'; e.g. {default_layer_names(model)}')
    views = len(inputs) // len(chosen)
    true = torch.tensor(labels[chosen]).repeat_interleave(views)
    forward, score_name = score_function(model, args.target, true)
    cams, scores, peaks = grad_cam(forward, modules[layer_name], inputs)
    raw = torch.stack(list(batch['inputs']))  # (B, V, C, T, H, W) uint8
    raw = raw[:, 0].permute(0, 2, 3, 4, 1).numpy()  # first view
    cams = cams.view(len(chosen), views, *cams.shape[1:])[:, 0]
    if cams.shape[1:] != raw.shape[1:4]:  # e.g. residual frames: T - 1
        cams = F.interpolate(cams[:, None], size=raw.shape[1:4],
                             mode='trilinear', align_corners=False)[:, 0]
    names = read_class_names(args.classes) if args.classes else None
    png = osp.join(args.out_dir, 'grad_cam.png')
    records = draw(raw, cams.numpy(), chosen, labels, forward.classes,
                   scores.view(len(chosen), views)[:, 0], views, names,
                   args, png, f'Grad-CAM of {layer_name} ({score_name}), '
                   f'{osp.basename(str(args.checkpoint))}')
    for record, peak in zip(records, peaks.view(len(chosen), views)[:, 0]):
        record['map_peak'] = round(float(peak), 6)  # 0: an all-zero map
    report = dict(config=args.config, checkpoint=args.checkpoint,
                  evaluated=model.evaluated_as, layer=layer_name,
                  score=score_name, split=args.split, videos=records,
                  png=png)
    return emit_json_report(report, osp.join(args.out_dir, 'grad_cam.json'))


def draw(raw, cams, chosen, labels, classes, scores, views, names, args,
         png, title) -> list:
    """Rows of overlaid frames into ``png``; the per-video records."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt

    def name(label):
        return names[label] if names and label < len(names) else str(label)

    shown = np.unique(np.linspace(0, raw.shape[1] - 1,
                                  args.frames).round().astype(int))
    fig, axes = plt.subplots(len(chosen), len(shown),
                             figsize=(1.5 * len(shown), 1.6 * len(chosen)),
                             squeeze=False)
    records = []
    for row, index in enumerate(tqdm(chosen, desc='drawing')):
        target = None if classes is None else int(classes[row * views])
        for col, t in enumerate(shown):
            axes[row, col].imshow(overlay_heatmap(raw[row, t],
                                                  cams[row, t]))
            axes[row, col].axis('off')
            if row == len(chosen) - 1:
                axes[row, col].annotate(
                    f'frame {t}', (0.5, -0.04), xycoords='axes fraction',
                    ha='center', va='top', fontsize=6).set_in_layout(False)
        text = f'video of {name(int(labels[index]))}'
        if target is not None:
            text += f'; map of the score of {name(target)}'
        axes[row, 0].annotate(
            text, (0, 1.03), xycoords='axes fraction', ha='left',
            va='bottom', fontsize=6).set_in_layout(False)
        records.append(dict(index=int(index), label=int(labels[index]),
                            target_class=target,
                            score=round(float(scores[row]), 4)))
    fig.suptitle(title, fontsize=8)
    fig.tight_layout(h_pad=1.6, rect=(0, 0, 1, 1 - 0.35 / fig.get_figheight()))
    save_figure_small(fig, png)
    plt.close(fig)
    return records


if __name__ == '__main__':
    try:
        main()
    except ANALYSIS_ERRORS as error:
        sys.exit(f'{type(error).__name__}: {error}')
