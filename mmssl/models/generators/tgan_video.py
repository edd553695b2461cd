"""Conditional 3D video generator and discriminator of CSVR's video
generating branch (III-D, Eq. 6-8), in the style of TGAN v2."""
from typing import Sequence, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmssl.registry import MODELS


class _UpBlock3D(nn.Module):
    """Residual 3D block after a x2 (or ``scale``) trilinear upsampling:
    ``up(x) -> conv3 -> BN -> ReLU -> conv3 -> BN (+ 1x1x1 shortcut)``."""

    def __init__(self, cin: int, cout: int, scale: Tuple[int, int, int]):
        super().__init__()
        self.scale = scale
        self.body = nn.Sequential(
            nn.Conv3d(cin, cout, 3, 1, 1, bias=False), nn.BatchNorm3d(cout),
            nn.ReLU(inplace=True), nn.Conv3d(cout, cout, 3, 1, 1, bias=False),
            nn.BatchNorm3d(cout))
        self.shortcut = nn.Conv3d(cin, cout, 1, bias=False)

    def forward(self, x: Tensor) -> Tensor:
        x = F.interpolate(x, scale_factor=self.scale, mode='trilinear',
                          align_corners=False)
        return F.relu(self.body(x) + self.shortcut(x))


@MODELS.register_module()
class ConditionalVideoGenerator(BaseModule):
    """``G_v(z_v | f_i)``: a video from the integrated feature and noise.

    TGAN v2 (Saito et al., "Train Sparsely, Generate Densely", IJCV 2020)
    maps a latent to a small spatio-temporal volume and upsamples it with
    3D residual blocks; CSVR uses an "R3D-based TGAN v2" conditioned on
    ``f_i``. Here: ``[f_i, z]`` -> linear -> ``(C_0, t_0, h_0, w_0)`` ->
    ``len(channels) - 1`` residual up-blocks (each doubles H and W, and T
    while ``t < T``) -> ``Conv3d`` to ``out_channels`` in the normalised
    pixel space of the network input, trilinearly resized to ``out_shape``
    if the doubling does not land on it. TGAN v2's sparse multi-scale
    rendering (rendering blocks at several resolutions, discriminators on
    subsampled frames) is left out (documented in docs/methods/csvr.md).

    Args:
        cond_channels (int): Size of ``f_i``.
        out_shape (Sequence[int]): ``(T, H, W)`` of the generated clip.
        noise_dim (int): ``z_v`` size. Defaults to 64.
        channels (Sequence[int]): Widths from the seed volume to the last
            block. Defaults to ``(256, 128, 64, 32)``.
        seed_shape (Sequence[int]): ``(t_0, h_0, w_0)``. Defaults to
            ``(2, 7, 7)`` (x8 = 16x56x56 for 16x112x112, then resized).
        out_channels (int): Defaults to 3.
    """

    def __init__(self,
                 cond_channels: int,
                 out_shape: Sequence[int] = (16, 112, 112),
                 noise_dim: int = 64,
                 channels: Sequence[int] = (256, 128, 64, 32),
                 seed_shape: Sequence[int] = (2, 7, 7),
                 out_channels: int = 3,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.out_shape = tuple(out_shape)
        self.seed_shape = tuple(seed_shape)
        self.noise_dim = noise_dim
        self.channels = tuple(channels)
        self.fc = nn.Linear(cond_channels + noise_dim,
                            channels[0] * int(torch.tensor(seed_shape).prod()))
        blocks, t = [], seed_shape[0]
        for cin, cout in zip(channels[:-1], channels[1:]):
            st = 2 if t < out_shape[0] else 1
            t *= st
            blocks.append(_UpBlock3D(cin, cout, (st, 2, 2)))
        self.blocks = nn.Sequential(*blocks)
        self.to_video = nn.Conv3d(channels[-1], out_channels, 3, 1, 1)

    def forward(self, cond: Tensor, noise: Tensor = None) -> Tensor:
        """``cond`` ``(B, C)`` (+ ``noise`` ``(B, noise_dim)``) -> video
        ``(B, out_channels, T, H, W)``."""
        if noise is None:
            noise = torch.randn(cond.shape[0], self.noise_dim,
                                device=cond.device, dtype=cond.dtype)
        x = self.fc(torch.cat([cond.flatten(1), noise], 1))
        x = F.relu(x.view(cond.shape[0], self.channels[0], *self.seed_shape))
        x = self.to_video(self.blocks(x))
        if tuple(x.shape[2:]) != self.out_shape:
            x = F.interpolate(x, size=self.out_shape, mode='trilinear',
                              align_corners=False)
        return x


@MODELS.register_module()
class VideoDiscriminator3D(BaseModule):
    """``D_v(V)``: R3D-style 3D conv discriminator (CSVR Eq. 6-7 score the
    clip alone). Residual blocks of two ``3x3x3`` convs with LeakyReLU and
    a strided ``1x1x1`` shortcut, no batch norm (WGAN-GP penalty and OSGAN
    per-sample decomposition), global average pooling, linear to one
    logit.

    Args:
        in_channels (int): Defaults to 3.
        channels (Sequence[int]): Defaults to ``(32, 64, 128, 256)``.
        strides (Sequence): Per block, ``(t, h, w)`` or int. Defaults to
            ``((1, 2, 2), 2, 2, 2)``.
    """

    def __init__(self,
                 in_channels: int = 3,
                 channels: Sequence[int] = (32, 64, 128, 256),
                 strides: Sequence = ((1, 2, 2), 2, 2, 2),
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.blocks = nn.ModuleList()
        cin = in_channels
        for cout, stride in zip(channels, strides):
            self.blocks.append(
                nn.ModuleDict(
                    dict(
                        body=nn.Sequential(
                            nn.Conv3d(cin, cout, 3, stride, 1),
                            nn.LeakyReLU(0.2, inplace=True),
                            nn.Conv3d(cout, cout, 3, 1, 1)),
                        shortcut=nn.Conv3d(cin, cout, 1, stride))))
            cin = cout
        self.fc = nn.Linear(cin, 1)

    def forward(self, video: Tensor) -> Tensor:
        """``(B, C, T, H, W)`` -> logits ``(B,)``."""
        x = video
        for block in self.blocks:
            x = F.leaky_relu(block['body'](x) + block['shortcut'](x), 0.2)
        return self.fc(x.flatten(2).mean(2)).squeeze(1)
