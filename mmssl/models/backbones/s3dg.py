"""S3D-G: separable 3D Inception network with feature gating (Xie et al.)."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn

from mmssl.registry import MODELS
from .base_backbone import BaseBackbone3D, conv3d_module


class SepConv3d(nn.Module):
    """Separable 3D conv: (1, k, k) conv + BN + ReLU, then (kt, 1, 1) conv +
    BN + ReLU, optionally followed by feature gating.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels (of both convs).
        kernel_size (int): k.
        norm_cfg (dict): Norm config.
        stride (int): Stride of the (1, k, k) conv in T, H and W (RSPNet's
            separable conv1 strides its spatial conv in time too).
            Defaults to 1.
        temporal_kernel_size (int, optional): kt; defaults to k.
        gating (bool): Gate the output (``self.gate``). Defaults to False.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 kernel_size: int,
                 norm_cfg: Dict,
                 stride: int = 1,
                 temporal_kernel_size: Optional[int] = None,
                 gating: bool = False) -> None:
        super().__init__()
        k, p = kernel_size, kernel_size // 2
        kt = kernel_size if temporal_kernel_size is None else \
            temporal_kernel_size
        self.conv_s = conv3d_module(
            in_channels,
            out_channels, (1, k, k),
            stride=stride,
            padding=(0, p, p),
            bias=False,
            norm_cfg=norm_cfg)
        self.conv_t = conv3d_module(
            out_channels,
            out_channels, (kt, 1, 1),
            padding=(kt // 2, 0, 0),
            bias=False,
            norm_cfg=norm_cfg)
        self.gate = SelfGating(out_channels) if gating else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.conv_t(self.conv_s(x))
        return x if self.gate is None else self.gate(x)


class SelfGating(nn.Module):
    """Feature gating of S3D-G: ``x * sigmoid(W mean_{T,H,W}(x) + b)``.

    Args:
        channels (int): Channels C of the (N, C, T, H, W) input.
    """

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.fc = nn.Linear(channels, channels)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weights = torch.sigmoid(self.fc(x.mean(dim=(2, 3, 4))))
        return x * weights[:, :, None, None, None]


class SepInceptionBlock3D(nn.Module):
    """Inception-v1 block with separable 3x3x3 convs (and optional gating).

    Branches: 1x1x1 (``b0``); 1x1x1 (``b1a``) -> sep 3x3x3 (``b1b``);
    1x1x1 (``b2a``) -> sep 3x3x3 (``b2b``); 3x3x3 max-pool -> 1x1x1
    (``b3``). Output channels ``b0 + b1b + b2b + b3``. ``gating`` gates the
    output of every branch (TF-Slim) or, with ``gate_sepconvs``, only the
    two separable convs (RSPNet's port).
    """

    def __init__(self,
                 in_channels: int,
                 b0: int,
                 b1a: int,
                 b1b: int,
                 b2a: int,
                 b2b: int,
                 b3: int,
                 gating: bool,
                 norm_cfg: Dict,
                 gate_sepconvs: bool = False) -> None:
        super().__init__()
        common = dict(bias=False, norm_cfg=norm_cfg)
        sep_gating = gating and gate_sepconvs
        self.branch0 = conv3d_module(in_channels, b0, 1, **common)
        self.branch1 = nn.Sequential(
            conv3d_module(in_channels, b1a, 1, **common),
            SepConv3d(b1a, b1b, 3, norm_cfg, gating=sep_gating))
        self.branch2 = nn.Sequential(
            conv3d_module(in_channels, b2a, 1, **common),
            SepConv3d(b2a, b2b, 3, norm_cfg, gating=sep_gating))
        self.branch3 = nn.Sequential(
            nn.MaxPool3d(3, stride=1, padding=1),
            conv3d_module(in_channels, b3, 1, **common))
        self.gates = nn.ModuleList([
            SelfGating(c) for c in (b0, b1b, b2b, b3)
        ]) if gating and not gate_sepconvs else None
        self.out_channels = b0 + b1b + b2b + b3

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        outs = [
            self.branch0(x),
            self.branch1(x),
            self.branch2(x),
            self.branch3(x)
        ]
        if self.gates is not None:
            outs = [gate(o) for gate, o in zip(self.gates, outs)]
        return torch.cat(outs, dim=1)


@MODELS.register_module()
class S3DG(BaseBackbone3D):
    """S3D-G backbone.

    From `Rethinking Spatiotemporal Feature Learning: Speed-Accuracy
    Trade-offs in Video Classification <https://arxiv.org/abs/1712.04851>`_
    (Xie, Sun, Huang, Tu and Murphy, ECCV 2018): Inception-v1 (I3D layout)
    with every 3x3x3 conv of the network after ``Conv2d_2b`` separated into
    a (1, 3, 3) and a (3, 1, 1) conv, and self-gating after ``Conv2d_2c``
    and on every Inception branch. As in the authors' TF-Slim code, the
    first conv is a full (non-separable) ``first_temporal_kernel_size`` x
    7 x 7 conv with stride 2 in time and space, BN eps is 1e-3, and the
    'SAME'-padded max-pools round up. ``gating=False`` gives S3D.

    ``layout='rspnet'`` is the PyTorch port released with RSPNet (Chen et
    al., AAAI 2021; PeihaoChen/RSPNet ``models/s3dg.py``), whose weights
    ``tools/model_converters/convert_checkpoint.py rspnet-s3dg`` converts:
    conv1 is separable too (a (1, 7, 7) conv with stride 2 in T, H and W,
    then a (kt, 1, 1) conv, each + BN + ReLU), gating follows every
    separable conv (conv1, conv2c and the 3x3x3 convs of Inception branches
    1 and 2; branches 0 and 3 are not gated) and the last max-pool rounds
    down. Same widths; use ``first_temporal_kernel_size=7`` as released.

    Layout (16x112x112): conv1 -> 64x8x56x56; max-pool (1, 3, 3)/(1, 2, 2)
    -> 28x28; conv2b 1x1x1 64; conv2c sep 3x3x3 192 (+ gating); max-pool
    (1, 3, 3)/(1, 2, 2) -> 192x8x14x14; Mixed_3b, 3c -> 480; max-pool
    3x3x3/2 -> 4x7x7; Mixed_4b-4f -> 832; max-pool 2x2x2/2 -> 2x4x4;
    Mixed_5b, 5c -> 1024x2x4x4.

    Args:
        gating (bool): Use feature gating (S3D-G). Defaults to True.
        first_temporal_kernel_size (int): Temporal size of conv1 (1, 3, 5
            or 7). Defaults to 3.
        layout (str): ``'tf-slim'`` (the authors' TF code) or
            ``'rspnet'`` (RSPNet's port, see above). Defaults to
            ``'tf-slim'``.
        in_channels (int): Input channels. Defaults to 3.
        norm_cfg (dict): Norm config. Defaults to
            ``dict(type='BN3d', eps=1e-3)``.
        frozen_stages (int): Freeze the stem (conv1-conv2c, stage 0) and
            Mixed_3 / Mixed_4 / Mixed_5 (stages 1-3) up to ``k``; -1
            freezes nothing. Defaults to -1.
        norm_eval (bool): Keep BN in eval mode. Defaults to False.
        init_cfg (dict or list[dict], optional): Initialisation config.

    Shapes:
        - input: (N, in_channels, T, H, W)
        - output: (N, 1024, T/8, H/32, W/32) (rounded up).
    """

    # Inception-v1 widths: (b0, b1a, b1b, b2a, b2b, b3)
    inception_settings = {
        'mixed_3b': (64, 96, 128, 16, 32, 32),
        'mixed_3c': (128, 128, 192, 32, 96, 64),
        'mixed_4b': (192, 96, 208, 16, 48, 64),
        'mixed_4c': (160, 112, 224, 24, 64, 64),
        'mixed_4d': (128, 128, 256, 24, 64, 64),
        'mixed_4e': (112, 144, 288, 32, 64, 64),
        'mixed_4f': (256, 160, 320, 32, 128, 128),
        'mixed_5b': (256, 160, 320, 32, 128, 128),
        'mixed_5c': (384, 192, 384, 48, 128, 128),
    }

    def __init__(self,
                 gating: bool = True,
                 first_temporal_kernel_size: int = 3,
                 layout: str = 'tf-slim',
                 in_channels: int = 3,
                 norm_cfg: Dict = dict(
                     type='BN3d', eps=1e-3, requires_grad=True),
                 frozen_stages: int = -1,
                 norm_eval: bool = False,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(frozen_stages, norm_eval, init_cfg)
        if first_temporal_kernel_size not in (1, 3, 5, 7):
            raise ValueError('first_temporal_kernel_size must be 1, 3, 5 or '
                             f'7, got {first_temporal_kernel_size}')
        if layout not in ('tf-slim', 'rspnet'):
            raise ValueError(f'layout must be "tf-slim" or "rspnet", got '
                             f'{layout!r}')
        self.gating = gating
        self.layout = layout
        rspnet = layout == 'rspnet'
        kt = first_temporal_kernel_size
        if rspnet:
            self.conv1 = SepConv3d(
                in_channels,
                64,
                7,
                norm_cfg,
                stride=2,
                temporal_kernel_size=kt,
                gating=gating)
        else:
            self.conv1 = conv3d_module(
                in_channels,
                64, (kt, 7, 7),
                stride=2,
                padding=(kt // 2, 3, 3),
                bias=False,
                norm_cfg=norm_cfg)
        self.pool2a = nn.MaxPool3d((1, 3, 3),
                                   stride=(1, 2, 2),
                                   padding=(0, 1, 1))
        self.conv2b = conv3d_module(64, 64, 1, bias=False, norm_cfg=norm_cfg)
        self.conv2c = SepConv3d(
            64, 192, 3, norm_cfg, gating=gating and rspnet)
        stem = ['conv1', 'conv2b', 'conv2c']
        self.gate2c = None
        if gating and not rspnet:
            self.gate2c = SelfGating(192)
            stem.append('gate2c')
        self.pool3a = nn.MaxPool3d((1, 3, 3),
                                   stride=(1, 2, 2),
                                   padding=(0, 1, 1))
        self.pool4a = nn.MaxPool3d(3, stride=2, padding=1)
        self.pool5a = nn.MaxPool3d(2, stride=2, ceil_mode=not rspnet)

        inplanes = 192
        for name, widths in self.inception_settings.items():
            block = SepInceptionBlock3D(
                inplanes, *widths, gating, norm_cfg, gate_sepconvs=rspnet)
            self.add_module(name, block)
            inplanes = block.out_channels
        self.out_channels = inplanes
        names = list(self.inception_settings)
        self.stage_names = [
            stem, [n for n in names if n.startswith('mixed_3')],
            [n for n in names if n.startswith('mixed_4')],
            [n for n in names if n.startswith('mixed_5')]
        ]
        self._check_frozen_stages()
        self._freeze_stages()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C, T, H, W) -> (N, 1024, T', H', W')."""
        x = self.pool2a(self.conv1(x))
        x = self.conv2c(self.conv2b(x))
        if self.gate2c is not None:
            x = self.gate2c(x)
        pools = [self.pool3a, self.pool4a, self.pool5a]
        for pool, names in zip(pools, self.stage_names[1:]):
            x = pool(x)
            for name in names:
                x = getattr(self, name)(x)
        return x
