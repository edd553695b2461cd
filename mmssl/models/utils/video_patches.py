"""Cube patches of videos: patchify, unpatchify and per-patch normalisation.

Patch layout follows VideoMAE (Tong et al., NeurIPS 2022) and MMAction2's
``VisionTransformer`` patch embedding: token ``n = (t * H' + h) * W' + w``
covers frames ``[t * tubelet, (t + 1) * tubelet)`` and the ``patch x patch``
pixels at ``(h, w)``; inside a token the pixels are ordered
``(dt, dy, dx, channel)``, channel fastest.
"""
from typing import Sequence, Tuple

from torch import Tensor


def token_grid(video_shape: Sequence[int], patch_size: int,
               tubelet_size: int) -> Tuple[int, int, int]:
    """``(T', H', W')`` token grid of a ``(..., C, T, H, W)`` video, naming
    the dimension that does not divide evenly."""
    frames, height, width = (int(s) for s in video_shape[-3:])
    for name, size, step in (('T', frames, tubelet_size),
                             ('H', height, patch_size),
                             ('W', width, patch_size)):
        if size % step:
            arg = 'tubelet_size' if name == 'T' else 'patch_size'
            raise ValueError(f'video {name}={size} is not divisible by '
                             f'{arg}={step}')
    return (frames // tubelet_size, height // patch_size,
            width // patch_size)


def patchify_video(videos: Tensor, patch_size: int,
                   tubelet_size: int) -> Tensor:
    """Cut videos into flattened cube patches.

    Args:
        videos (Tensor): ``(B, C, T, H, W)``.
        patch_size (int): Spatial patch side ``p``.
        tubelet_size (int): Frames per patch ``q``.

    Returns:
        Tensor: ``(B, N, q * p * p * C)`` with ``N = T' * H' * W'``.
    """
    if videos.dim() != 5:
        raise ValueError('patchify_video expects (B, C, T, H, W), got '
                         f'{tuple(videos.shape)}')
    batch, channels = videos.shape[:2]
    frames, height, width = token_grid(videos.shape, patch_size, tubelet_size)
    x = videos.reshape(batch, channels, frames, tubelet_size, height,
                       patch_size, width, patch_size)
    # (B, T', H', W', q, p, p, C)
    x = x.permute(0, 2, 4, 6, 3, 5, 7, 1)
    return x.reshape(batch, frames * height * width, -1)


def unpatchify_video(patches: Tensor, grid_size: Sequence[int],
                     patch_size: int, tubelet_size: int) -> Tensor:
    """Inverse of :func:`patchify_video`.

    Args:
        patches (Tensor): ``(B, N, q * p * p * C)``.
        grid_size (Sequence[int]): ``(T', H', W')`` with ``T'H'W' = N``.
        patch_size (int): ``p``.
        tubelet_size (int): ``q``.

    Returns:
        Tensor: ``(B, C, T' * q, H' * p, W' * p)``.
    """
    frames, height, width = (int(s) for s in grid_size)
    batch, num, dims = patches.shape
    pixels = tubelet_size * patch_size * patch_size
    if num != frames * height * width or dims % pixels:
        raise ValueError(f'patches {tuple(patches.shape)} do not match '
                         f'grid_size={tuple(grid_size)}, patch_size='
                         f'{patch_size}, tubelet_size={tubelet_size}')
    channels = dims // pixels
    x = patches.reshape(batch, frames, height, width, tubelet_size,
                        patch_size, patch_size, channels)
    x = x.permute(0, 7, 1, 4, 2, 5, 3, 6)
    return x.reshape(batch, channels, frames * tubelet_size,
                     height * patch_size, width * patch_size)


def normalize_patches(patches: Tensor,
                      channels: int = 3,
                      per_channel: bool = True,
                      eps: float = 1e-6) -> Tensor:
    """Normalise every patch to zero mean and unit (unbiased) std.

    VideoMAE's ``norm_pix_loss`` target (Tong et al., NeurIPS 2022; authors'
    ``engine_for_pretraining.py``): statistics over the ``q * p * p`` pixels
    of a patch, separately for each channel, ``(x - mean) / (std + eps)``.
    With ``per_channel=False`` the statistics pool all channels of the patch
    (image MAE's variant, He et al. CVPR 2022), ``(x - mean) /
    sqrt(var + eps)``.

    Args:
        patches (Tensor): ``(..., q * p * p * C)``, channel fastest.
        channels (int): ``C``.
        per_channel (bool): See above. Defaults to True (VideoMAE).
        eps (float): Stabiliser. Defaults to 1e-6 (both papers' code).

    Returns:
        Tensor: Same shape as ``patches``.
    """
    if not per_channel:
        mean = patches.mean(dim=-1, keepdim=True)
        var = patches.var(dim=-1, unbiased=True, keepdim=True)
        return (patches - mean) / (var + eps).sqrt()
    if patches.shape[-1] % channels:
        raise ValueError(f'patch size {patches.shape[-1]} is not a multiple '
                         f'of channels={channels}')
    x = patches.unflatten(-1, (-1, channels))
    mean = x.mean(dim=-2, keepdim=True)
    std = x.var(dim=-2, unbiased=True, keepdim=True).sqrt()
    return ((x - mean) / (std + eps)).flatten(-2)


def gather_tokens(tokens: Tensor, mask: Tensor, keep: bool) -> Tensor:
    """Tokens where ``mask == keep``, in token order, as a dense batch.

    Args:
        tokens (Tensor): ``(B, N, D)``.
        mask (Tensor): bool ``(B, N)``, the same number of ``keep`` entries in
            every row (true of tube masks).
        keep (bool): ``True`` selects masked tokens, ``False`` visible ones.

    Returns:
        Tensor: ``(B, N_sel, D)``.
    """
    if mask.shape != tokens.shape[:2]:
        raise ValueError(f'mask {tuple(mask.shape)} does not match tokens '
                         f'{tuple(tokens.shape[:2])} (B, N)')
    select = mask if keep else ~mask
    counts = select.sum(dim=1)
    if bool((counts != counts[0]).any()):
        raise ValueError('every mask of the batch must select the same '
                         f'number of tokens, got {counts.tolist()}')
    return tokens[select].reshape(tokens.shape[0], int(counts[0]),
                                  tokens.shape[-1])


def token_mask_to_pixels(mask: Tensor, grid_size: Sequence[int],
                         patch_size: int, tubelet_size: int) -> Tensor:
    """Expand a token mask to a per-pixel mask of the video.

    Args:
        mask (Tensor): bool ``(B, N)``, token ``n = (t * H' + h) * W' + w``.
        grid_size (Sequence[int]): ``(T', H', W')`` with ``T'H'W' = N``.
        patch_size (int): ``p``.
        tubelet_size (int): ``q``.

    Returns:
        Tensor: bool ``(B, 1, T' * q, H' * p, W' * p)``, ``True`` on every
        pixel of a masked cube.
    """
    frames, height, width = (int(s) for s in grid_size)
    if mask.dim() != 2 or mask.shape[1] != frames * height * width:
        raise ValueError(f'mask {tuple(mask.shape)} does not match the token '
                         f'grid {tuple(grid_size)} (B, T\'H\'W\')')
    cubes = mask.reshape(mask.shape[0], 1, frames, height, width)
    return (cubes.repeat_interleave(tubelet_size, dim=2)
            .repeat_interleave(patch_size, dim=3)
            .repeat_interleave(patch_size, dim=4))


def fill_masked_cubes(videos: Tensor, mask: Tensor, patch_size: int,
                      tubelet_size: int, fill: float = 0.) -> Tensor:
    """Replace the pixels of masked cubes by ``fill`` (a CNN's masked input).

    Masked video modelling on a convolutional encoder (the study's
    "VideoMAE* 16x112 R21D-18", Kumar et al., supp. Table 17) cannot drop
    tokens, so the masked cubes are blanked in the input instead. On the
    data preprocessor's mean/std-normalised clips ``fill=0`` is the dataset's
    mean colour.

    Args:
        videos (Tensor): ``(B, C, T, H, W)``.
        mask (Tensor): bool ``(B, N)``, ``True`` = masked, token order of
            :func:`patchify_video`.
        patch_size (int): ``p``.
        tubelet_size (int): ``q``.
        fill (float): Value of the masked pixels. Defaults to 0.

    Returns:
        Tensor: ``(B, C, T, H, W)``, a new tensor.
    """
    grid = token_grid(videos.shape, patch_size, tubelet_size)
    if mask.shape[0] != videos.shape[0]:
        raise ValueError(f'{mask.shape[0]} masks for {videos.shape[0]} clips')
    pixels = token_mask_to_pixels(mask.bool(), grid, patch_size, tubelet_size)
    return videos.masked_fill(pixels.to(videos.device), fill)
