"""R(2+1)D as used by VCOP / PRP (ResNet-10 layout by default)."""
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmcv.cnn import build_norm_layer
from torch.nn.modules.utils import _triple

from mmssl.registry import MODELS
from .base_backbone import BaseBackbone3D


class FactorizedConv3d(nn.Module):
    """(2+1)D convolution: spatial (1, k, k) conv -> BN -> ReLU -> temporal
    (k_t, 1, 1) conv.

    The intermediate width is ``floor(k_t k^2 C_in C_out / (k^2 C_in +
    k_t C_out))`` (Tran et al., 2018, Sec. 3.5), so the factorised conv has
    about as many parameters as the full 3D one. It is applied to *every*
    convolution, including 1x1x1 shortcut projections (where it gives
    ``floor(C_in C_out / (C_in + C_out))``), as in VCOP's code; MMAction2's
    ``Conv2plus1d`` instead fixes k_t = 3 in that formula.

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        kernel_size (int or tuple[int]): (k_t, k_h, k_w).
        stride (int or tuple[int]): (s_t, s_h, s_w). Defaults to 1.
        padding (int or tuple[int]): (p_t, p_h, p_w). Defaults to 0.
        norm_cfg (dict): Norm config of the middle BN.
        mid_channels (int, optional): Intermediate width; None (default)
            uses the formula above (CtP's pyvrl ``R2Plus1D`` fixes the stem's
            at 45).
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: Union[int, Sequence[int]],
        stride: Union[int, Sequence[int]] = 1,
        padding: Union[int, Sequence[int]] = 0,
        norm_cfg: Dict = dict(type='BN3d'),
        mid_channels: Optional[int] = None
    ) -> None:
        super().__init__()
        kt, kh, kw = _triple(kernel_size)
        st, sh, sw = _triple(stride)
        pt, ph, pw = _triple(padding)
        mid = (kt * kh * kw * in_channels * out_channels) // (
            kh * kw * in_channels + kt * out_channels) \
            if mid_channels is None else int(mid_channels)
        self.mid_channels = mid
        self.conv_s = nn.Conv3d(
            in_channels,
            mid, (1, kh, kw),
            stride=(1, sh, sw),
            padding=(0, ph, pw),
            bias=False)
        self.bn_s = build_norm_layer(norm_cfg, mid)[1]
        self.relu = nn.ReLU(inplace=True)
        self.conv_t = nn.Conv3d(
            mid,
            out_channels, (kt, 1, 1),
            stride=(st, 1, 1),
            padding=(pt, 0, 0),
            bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.conv_t(self.relu(self.bn_s(self.conv_s(x))))


class BasicBlock2Plus1D(nn.Module):
    """ResNet basic block of two 3x3x3 (2+1)D convs.

    A block with a stride other than 1 (or a change of width) projects the
    shortcut with a 1x1x1 conv + BN at the same stride: a (2+1)D conv as in
    VCOP's code (``shortcut='factorized'``) or a plain 3D conv as in CtP's
    pyvrl (``shortcut='conv'``).

    Args:
        in_channels (int): Input channels.
        out_channels (int): Output channels.
        stride (int or tuple[int]): Stride of the first conv, (s_t, s_h,
            s_w) or one value for all three.
        norm_cfg (dict): Norm config.
        shortcut (str): ``'factorized'`` or ``'conv'``. Defaults to
            ``'factorized'``.
    """

    def __init__(self, in_channels: int, out_channels: int,
                 stride: Union[int, Sequence[int]], norm_cfg: Dict,
                 shortcut: str = 'factorized') -> None:
        super().__init__()
        if shortcut not in ('factorized', 'conv'):
            raise ValueError(f'shortcut must be "factorized" or "conv", got '
                             f'{shortcut!r}')
        stride = _triple(stride)
        self.conv1 = FactorizedConv3d(
            in_channels, out_channels, 3, stride, 1, norm_cfg=norm_cfg)
        self.bn1 = build_norm_layer(norm_cfg, out_channels)[1]
        self.conv2 = FactorizedConv3d(
            out_channels, out_channels, 3, 1, 1, norm_cfg=norm_cfg)
        self.bn2 = build_norm_layer(norm_cfg, out_channels)[1]
        self.relu = nn.ReLU(inplace=True)
        self.downsample = None
        if stride != (1, 1, 1) or in_channels != out_channels:
            if shortcut == 'conv':
                proj = nn.Conv3d(
                    in_channels, out_channels, 1, stride, bias=False)
            else:
                proj = FactorizedConv3d(
                    in_channels, out_channels, 1, stride, norm_cfg=norm_cfg)
            self.downsample = nn.Sequential(
                proj, build_norm_layer(norm_cfg, out_channels)[1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(out + identity)


@MODELS.register_module()
class R2Plus1DVCOP(BaseBackbone3D):
    """R(2+1)D backbone in the form used by VCOP and PRP.

    R(2+1)D is from `A Closer Look at Spatiotemporal Convolutions for Action
    Recognition <https://arxiv.org/abs/1711.11248>`_ (Tran et al., CVPR
    2018). This is the network of `Self-supervised Spatiotemporal Learning
    via Video Clip Order Prediction` (Xu et al., CVPR 2019; also used by
    PRP, Yao et al., CVPR 2020): ``layer_sizes=(1, 1, 1, 1)`` (a ResNet-10
    layout), every conv factorised into (2+1)D with the parameter-matching
    middle width, the stem a (2+1)D 3x7x7 conv with stride (1, 2, 2) and no
    max-pool, and layers 2-4 halving time and space. It is the "R(2+1)D"
    (14.4M parameters) of the benchmark study `A Large-Scale Analysis on
    Contextual Self-Supervised Video Representation Learning` (Kumar et
    al.). ``layer_sizes=(2, 2, 2, 2)`` gives VCOP's 18-layer variant.

    Layout (16x112x112): stem -> 64x16x56x56; layer1 64x16x56x56; layer2
    128x8x28x28; layer3 256x4x14x14; layer4 512x2x7x7.

    CtP's R(2+1)D-18 (pyvrl ``R2Plus1D``; ``r2plus1d_18_ctp.py``) is
    ``layer_sizes=(2, 2, 2, 2), stem_mid_channels=45, shortcut='conv',
    spatial_strides=(1, 2, 2, 1)`` with BN eps 1e-3.

    Args:
        layer_sizes (Sequence[int]): Blocks per layer. Defaults to
            (1, 1, 1, 1).
        in_channels (int): Input channels. Defaults to 3.
        base_channels (int): Width of the stem and layer1. Defaults to 64.
        norm_cfg (dict): Norm config. Defaults to ``dict(type='BN3d')``.
        frozen_stages (int): Freeze the stem and layers ``1..k``; -1 freezes
            nothing. Defaults to -1.
        norm_eval (bool): Keep BN in eval mode. Defaults to False.
        stem_mid_channels (int, optional): Middle width of the stem's (2+1)D
            conv; None (default) uses the parameter-matching formula (83).
        spatial_strides (Sequence[int]): Spatial stride of each layer's first
            block. Defaults to (1, 2, 2, 2).
        temporal_strides (Sequence[int]): Temporal stride of each layer's
            first block. Defaults to (1, 2, 2, 2).
        shortcut (str): Projection shortcut, ``'factorized'`` (default,
            VCOP) or ``'conv'`` (a plain 1x1x1 conv, CtP); see
            :class:`BasicBlock2Plus1D`.
        init_cfg (dict or list[dict], optional): Initialisation config.

    Shapes:
        - input: (N, in_channels, T, H, W)
        - output: (N, 8 * base_channels, T/8, H/16, W/16) (rounded up) with
          the default strides.
    """

    def __init__(self,
                 layer_sizes: Sequence[int] = (1, 1, 1, 1),
                 in_channels: int = 3,
                 base_channels: int = 64,
                 norm_cfg: Dict = dict(type='BN3d', requires_grad=True),
                 frozen_stages: int = -1,
                 norm_eval: bool = False,
                 stem_mid_channels: Optional[int] = None,
                 spatial_strides: Sequence[int] = (1, 2, 2, 2),
                 temporal_strides: Sequence[int] = (1, 2, 2, 2),
                 shortcut: str = 'factorized',
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(frozen_stages, norm_eval, init_cfg)
        assert len(layer_sizes) == 4
        assert len(spatial_strides) == 4 and len(temporal_strides) == 4
        self.layer_sizes = tuple(layer_sizes)
        self.conv1 = nn.Sequential(
            FactorizedConv3d(
                in_channels,
                base_channels, (3, 7, 7),
                stride=(1, 2, 2),
                padding=(1, 3, 3),
                norm_cfg=norm_cfg,
                mid_channels=stem_mid_channels),
            build_norm_layer(norm_cfg, base_channels)[1],
            nn.ReLU(inplace=True))
        self.stage_names = [['conv1']]
        inplanes = base_channels
        for i, num_blocks in enumerate(layer_sizes):
            planes = base_channels * 2**i
            blocks = []
            for j in range(num_blocks):
                stride = (temporal_strides[i], spatial_strides[i],
                          spatial_strides[i]) if j == 0 else 1
                blocks.append(
                    BasicBlock2Plus1D(inplanes, planes, stride, norm_cfg,
                                      shortcut))
                inplanes = planes
            self.add_module(f'layer{i + 1}', nn.Sequential(*blocks))
            self.stage_names.append([f'layer{i + 1}'])
        self.out_channels = inplanes
        self._check_frozen_stages()
        self._freeze_stages()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """(N, C, T, H, W) -> (N, out_channels, T', H', W')."""
        for names in self.stage_names:
            x = getattr(self, names[0])(x)
        return x
