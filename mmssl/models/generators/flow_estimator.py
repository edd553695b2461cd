"""Small CNN optical-flow estimator O and backward warping."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from torch import Tensor, nn

from mmssl.registry import MODELS


def backward_warp(frames: Tensor, flow: Tensor) -> Tensor:
    """Backward warping: ``out(p) = frames(p + flow(p))``, bilinear.

    Pixel ``p = (x, y)`` of the output reads the input at ``x + flow[:, 0]``
    (horizontal), ``y + flow[:, 1]`` (vertical), in pixels; samples outside
    the frame take the nearest border value. A zero flow returns ``frames``
    exactly.

    Args:
        frames (Tensor): ``(N, C, H, W)``.
        flow (Tensor): ``(N, 2, H, W)`` in pixels.

    Returns:
        Tensor: ``(N, C, H, W)``.
    """
    if flow.dim() != 4 or flow.shape[1] != 2 or (
            flow.shape[0], *flow.shape[2:]) != (frames.shape[0],
                                                *frames.shape[2:]):
        raise ValueError(f'flow must be (N, 2, H, W) for frames '
                         f'{tuple(frames.shape)}, got {tuple(flow.shape)}')
    _, _, height, width = frames.shape
    ys, xs = torch.meshgrid(
        torch.arange(height, dtype=flow.dtype, device=flow.device),
        torch.arange(width, dtype=flow.dtype, device=flow.device),
        indexing='ij')
    # align_corners=True: -1 / +1 are the centres of the first / last pixel
    grid_x = 2 * (xs + flow[:, 0]) / max(width - 1, 1) - 1
    grid_y = 2 * (ys + flow[:, 1]) / max(height - 1, 1) - 1
    grid = torch.stack((grid_x, grid_y), dim=-1)
    return F.grid_sample(
        frames, grid.to(frames.dtype), mode='bilinear',
        padding_mode='border', align_corners=True)


def warp_clip(clips: Tensor, flow: Tensor) -> Tensor:
    """Warp frames ``2..T`` of each clip back onto frames ``1..T-1``.

    Args:
        clips (Tensor): ``(N, C, T, H, W)``.
        flow (Tensor): ``(N, 2, T - 1, H, W)``, flow ``t`` maps frame ``t``
            to frame ``t + 1``.

    Returns:
        Tensor: ``(N, C, T - 1, H, W)``, estimate of ``clips[:, :, :-1]``.
    """
    batch, channels, frames, height, width = clips.shape
    expected = (batch, 2, frames - 1, height, width)
    if flow.shape != expected:
        raise ValueError(f'flow must be {expected} for clips '
                         f'{tuple(clips.shape)}, got {tuple(flow.shape)}')
    nxt = clips[:, :, 1:].transpose(1, 2).flatten(0, 1)
    flat_flow = flow.transpose(1, 2).flatten(0, 1)
    warped = backward_warp(nxt, flat_flow)
    return warped.view(batch, frames - 1, channels, height,
                       width).transpose(1, 2)


@MODELS.register_module()
class FlowEstimator(BaseModule):
    """Optical-flow estimator ``O`` of the view-synthesis module.

    Section III-G of the segment sampling-rate/order paper: a small CNN
    predicts a 2-channel flow ``o_x in R^{2 x (T-1) x H x W}`` for each pair
    of consecutive frames, trained without labels by the photometric loss
    (:func:`~mmssl.models.losses.photometric_loss`). The paper gives no
    architecture; this one is ours: the two frames are concatenated on the
    channel axis (``2C`` channels), ``3x3`` conv + LeakyReLU at full
    resolution, ``depth`` blocks at half resolution (stride 2, the
    receptive field for larger motions), bilinear upsampling, concatenation
    with the full-resolution features (skip) and a linear ``3x3`` conv to
    the flow in pixels. The last conv starts at zero, so the initial flow is
    zero and the initial warp the identity.

    Args:
        in_channels (int): Channels per frame. Defaults to 3.
        base_channels (int): Full-resolution width; the half-resolution
            blocks have twice as many. Defaults to 16.
        depth (int): Half-resolution conv blocks (>= 1). Defaults to 2.
        norm_cfg (dict, optional): Defaults to None (no normalisation, as
            in FlowNet / PWC-Net): ``O(x')`` in the info-max pass is then the
            same function as ``O(x)`` and leaves no state behind.
        init_cfg (dict | list[dict], optional): Weight initialisation.
    """

    def __init__(self,
                 in_channels: int = 3,
                 base_channels: int = 16,
                 depth: int = 2,
                 norm_cfg: Optional[Dict] = None,
                 init_cfg: Optional[Union[Dict, List[Dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if depth < 1:
            raise ValueError(f'depth must be >= 1, got {depth}')
        conv = dict(norm_cfg=norm_cfg, act_cfg=dict(type='LeakyReLU',
                                                    negative_slope=0.1))
        wide = 2 * base_channels
        self.in_channels = in_channels
        self.stem = ConvModule(2 * in_channels, base_channels, 3, padding=1,
                               **conv)
        self.down = nn.Sequential(
            ConvModule(base_channels, wide, 3, stride=2, padding=1, **conv),
            *[ConvModule(wide, wide, 3, padding=1, **conv)
              for _ in range(depth - 1)])
        self.fuse = ConvModule(wide + base_channels, base_channels, 3,
                               padding=1, **conv)
        self.head = nn.Conv2d(base_channels, 2, 3, padding=1)

    def init_weights(self) -> None:
        """Default init, then a zero flow head (identity warp at start);
        a ``Pretrained`` init_cfg overrides both."""
        super().init_weights()
        if not (isinstance(self.init_cfg, dict)
                and self.init_cfg.get('type') == 'Pretrained'):
            nn.init.zeros_(self.head.weight)
            nn.init.zeros_(self.head.bias)

    def forward(self, clips: Tensor) -> Tensor:
        """Flow between each pair of consecutive frames.

        Args:
            clips (Tensor): ``(N, C, T, H, W)``, ``T >= 2``.

        Returns:
            Tensor: ``(N, 2, T - 1, H, W)``; channel 0 horizontal, 1
            vertical displacement in pixels from frame ``t`` to ``t + 1``.
        """
        if clips.dim() != 5 or clips.shape[1] != self.in_channels or \
                clips.shape[2] < 2:
            raise ValueError(
                f'FlowEstimator expects clips (N, {self.in_channels}, T>=2, '
                f'H, W), got {tuple(clips.shape)}')
        batch, channels, frames, height, width = clips.shape
        pairs = torch.cat((clips[:, :, :-1], clips[:, :, 1:]), dim=1)
        pairs = pairs.transpose(1, 2).flatten(0, 1)  # (N(T-1), 2C, H, W)
        full = self.stem(pairs)
        half = F.interpolate(
            self.down(full), size=(height, width), mode='bilinear',
            align_corners=False)
        flow = self.head(self.fuse(torch.cat((half, full), dim=1)))
        return flow.view(batch, frames - 1, 2, height, width).transpose(1, 2)
