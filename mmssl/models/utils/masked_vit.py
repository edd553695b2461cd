"""Visible-token forward of MMAction2's ``VisionTransformer`` (VideoMAE).

MMAction2 1.1.0's ``VisionTransformer`` (``mmaction/models/backbones/
vit_mae.py``) always embeds and attends over every token. VideoMAE's encoder
(Tong et al., NeurIPS 2022, Sec. 3.3) runs only on the unmasked tokens. The
function here reuses the backbone's own patch embedding, positional
embedding, blocks and norm, so the pre-trained module is MMAction2's class
with its own state-dict keys and loads into a ``Recognizer3D`` unchanged.
"""
from typing import Optional

import torch.nn.functional as F
from torch import Tensor, nn

from .video_patches import gather_tokens


def check_vit(backbone: nn.Module) -> None:
    """Raise a ``TypeError`` naming the missing attribute if ``backbone`` is
    not an MMAction2-style ``VisionTransformer``."""
    for attr in ('patch_embed', 'pos_embed', 'pos_drop', 'blocks', 'norm',
                 'patch_size', 'grid_size', 'embed_dims'):
        if not hasattr(backbone, attr):
            raise TypeError(
                f'backbone {type(backbone).__name__} lacks "{attr}"; '
                'VideoMAE needs MMAction2\'s VisionTransformer '
                "(type='VisionTransformer')")


def vit_pos_embed(vit: nn.Module, height: int, width: int) -> Tensor:
    """The backbone's positional embedding for an ``(H', W')`` grid,
    resized bicubically per temporal slice as in MMAction2's forward.

    Returns:
        Tensor: ``(1, T' * H' * W', D)``.
    """
    if (height, width) == tuple(vit.grid_size):
        return vit.pos_embed
    pos = vit.pos_embed.reshape(-1, *vit.grid_size, vit.embed_dims)
    pos = F.interpolate(
        pos.permute(0, 3, 1, 2),
        size=(height, width),
        mode='bicubic',
        align_corners=False)
    return pos.permute(0, 2, 3, 1).reshape(1, -1, vit.embed_dims)


def vit_visible_tokens(vit: nn.Module,
                       videos: Tensor,
                       mask: Optional[Tensor] = None) -> Tensor:
    """Encode only the visible tokens of ``videos``.

    Patch embedding and positional embedding are applied to all tokens
    (cheap), the masked ones are dropped, and the transformer blocks and the
    backbone's ``norm`` run on the visible ones.

    Args:
        vit (nn.Module): MMAction2 ``VisionTransformer``.
        videos (Tensor): ``(B, C, T, H, W)``.
        mask (Tensor, optional): bool ``(B, N)``, ``True`` = masked, the same
            count per row. ``None`` encodes every token.

    Returns:
        Tensor: ``(B, N_visible, D)`` in token order.
    """
    height = videos.shape[-2] // vit.patch_size
    width = videos.shape[-1] // vit.patch_size
    tokens = vit.patch_embed(videos)[0]
    pos = vit_pos_embed(vit, height, width)
    if pos.shape[1] != tokens.shape[1]:
        raise ValueError(
            f'{tokens.shape[1]} tokens but the positional embedding has '
            f'{pos.shape[1]}: the clip length {videos.shape[2]} does not '
            'match the backbone\'s num_frames')
    tokens = vit.pos_drop(tokens + pos)
    if mask is not None:
        if mask.shape != tokens.shape[:2]:
            raise ValueError(
                f'mask {tuple(mask.shape)} does not match the token grid: '
                f'{tuple(tokens.shape[:2])} (B, N) for clips '
                f'{tuple(videos.shape[1:])}; check TubeMaskGenerator\'s '
                'input_size')
        tokens = gather_tokens(tokens, mask.bool(), keep=False)
    for block in vit.blocks:
        tokens = block(tokens)
    return vit.norm(tokens)
