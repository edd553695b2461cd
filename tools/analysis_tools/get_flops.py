"""Count the parameters and FLOPs of a config's backbone.

Examples::

    # a backbone base config (defines ``backbone = dict(...)``)
    python tools/analysis_tools/get_flops.py \
        configs/_base_/models/backbones/c3d_vcop.py
    # a full config (uses ``model.backbone``), other clip size
    python tools/analysis_tools/get_flops.py CONFIG --shape 3 8 224 224
    # count a linear classifier for 600 classes on top (as published
    # parameter counts of the Efficient-3DCNNs models do)
    python tools/analysis_tools/get_flops.py \
        configs/_base_/models/backbones/mobilenetv2_3d_1.0x.py \
        --num-classes 600

Counting uses MMEngine's ``get_model_complexity_info`` (an fvcore port) on a
batch of one clip, model in eval mode. MMEngine counts one fused
multiply-add as ONE flop, i.e. its "flops" are MACs; papers that quote
"GFLOPs" as 2 x MACs should be compared with the printed FLOPs (2 x MACs)
line. See docs/backbones.md.
"""
import argparse
import logging
import sys
from typing import Sequence, Tuple

import torch
import torch.nn as nn
from mmengine.config import Config, DictAction
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope

COUNTING_NOTE = """\
Note: "MACs" is MMEngine's flop count, which counts one multiply-add as ONE
      flop (conv, linear, matmul, einsum), plus batch norm in eval mode (2 per
      element) and layer/group norm; pooling, activations and element-wise
      additions are not counted. "FLOPs" = 2 x MACs, the convention of papers
      whose "GFLOPs" count multiplications and additions separately."""


class _WithClassifier(nn.Module):
    """Backbone -> global average pool -> linear classifier."""

    def __init__(self, backbone: nn.Module, in_channels: int,
                 num_classes: int) -> None:
        super().__init__()
        self.backbone = backbone
        self.fc = nn.Linear(in_channels, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        feat = self.backbone(x)
        if isinstance(feat, (tuple, list)):
            feat = feat[-1]
        return self.fc(feat.flatten(2).mean(dim=2))


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Parameters and FLOPs of a backbone')
    parser.add_argument(
        'config',
        help='config file with model.backbone, or a backbone base config '
        'defining `backbone = dict(...)`')
    parser.add_argument(
        '--shape',
        type=int,
        nargs='+',
        default=[3, 16, 112, 112],
        help='input clip shape C T H W (or T H W with C=3); '
        'default 3 16 112 112')
    parser.add_argument(
        '--num-classes',
        type=int,
        default=0,
        help='also count a global-average-pool + linear classifier with this '
        'many classes (default: backbone only)')
    parser.add_argument(
        '--show-table', action='store_true', help='print the per-module table')
    parser.add_argument(
        '--show-arch', action='store_true', help='print the annotated model')
    parser.add_argument(
        '--verbose',
        action='store_true',
        help="show MMEngine's warnings about operators it does not count")
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings in the config, e.g. '
        'backbone.width_mult=1.0 or model.backbone.depth=34')
    return parser.parse_args(argv)


def input_shape(shape: Sequence[int]) -> Tuple[int, int, int, int]:
    """(C, T, H, W) from 4 values, or from 3 (T, H, W) with C = 3."""
    if len(shape) == 3:
        return (3, *shape)
    if len(shape) == 4:
        return tuple(shape)
    raise ValueError(f'--shape takes 3 (T H W) or 4 (C T H W) values, '
                     f'got {list(shape)}')


def backbone_cfg_of(cfg: Config) -> dict:
    """``model.backbone`` of a full config, else ``backbone``."""
    model = cfg.get('model')
    if model is not None and model.get('backbone') is not None:
        return model['backbone']
    if cfg.get('backbone') is not None:
        return cfg['backbone']
    raise KeyError('the config defines neither model.backbone nor backbone')


def build_backbone(backbone_cfg: dict) -> nn.Module:
    """Build a backbone from mmssl's registry (which also resolves
    MMAction2's backbones)."""
    # mmssl first: it filters mmcv-lite's deformable-attention warning.
    import mmssl  # noqa: F401
    import mmaction.models  # noqa: F401
    import mmssl.models.backbones  # noqa: F401
    from mmssl.registry import MODELS
    init_default_scope('mmssl')
    return MODELS.build(backbone_cfg)


def main(argv=None) -> None:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    backbone_cfg = backbone_cfg_of(cfg)
    shape = input_shape(args.shape)

    from mmengine.analysis import get_model_complexity_info

    model = build_backbone(backbone_cfg)
    model.eval()
    with torch.no_grad():
        out = model(torch.zeros(1, *shape))
    if isinstance(out, (tuple, list)):
        out = out[-1]
    if args.num_classes > 0:
        model = _WithClassifier(model, out.shape[1], args.num_classes).eval()
    params = sum(p.numel() for p in model.parameters())

    logger = MMLogger.get_current_instance()
    level = logger.level
    if not args.verbose:
        logger.setLevel(logging.ERROR)
    try:
        with torch.no_grad():
            info = get_model_complexity_info(
                model,
                input_shape=shape,
                show_table=args.show_table,
                show_arch=args.show_arch)
    finally:
        logger.setLevel(level)

    macs = info['flops']
    head = (f' + linear classifier ({args.num_classes} classes)'
            if args.num_classes > 0 else ' (backbone only)')
    split = '=' * 72
    if args.show_arch:
        print(info['out_arch'])
    if args.show_table:
        print(info['out_table'])
    print(split)
    print(f'Config:  {args.config}')
    print(f"Model:   {backbone_cfg['type']}{head}")
    print(f"Input:   1 x {' x '.join(map(str, shape))} (N x C x T x H x W)")
    print(f"Output:  {' x '.join(map(str, out.shape))} (backbone feature map)")
    print(f'Params:  {params:,} ({params / 1e6:.2f} M)')
    print(f'MACs:    {macs / 1e9:.3f} G')
    print(f'FLOPs:   {2 * macs / 1e9:.3f} G (2 x MACs)')
    print(split)
    print(COUNTING_NOTE)
    sys.stdout.flush()


if __name__ == '__main__':
    main()
