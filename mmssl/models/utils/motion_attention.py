"""Motion-attention weights for reconstruction losses (PRP)."""
import torch
import torch.nn.functional as F
from torch import Tensor


def motion_attention(clip: Tensor,
                     low: float = 0.8,
                     high: float = 2.0,
                     patch_frac: float = 0.25,
                     stride_frac: float = 1 / 16) -> Tensor:
    """Per-pixel weights that emphasise the moving regions of a clip.

    Clip-level variant of the motion attention (MA) of Yao et al., "Video
    Playback Rate Perception for Self-supervised Spatio-Temporal
    Representation Learning", CVPR 2020, generative branch (weights in
    ``[low, high] = [0.8, 2.0]``, 28-px patches at 7-px stride on 112-px
    frames, as the authors):

    1. motion energy ``E = mean_t (x[t+1] - x[t])^2`` per channel, ``(B, C,
       H, W)``, over consecutive frames of ``clip``;
    2. average-pooled in patches of ``patch_frac * H`` x ``patch_frac * W``
       pixels at ``stride_frac`` strides;
    3. min-max normalised per sample and channel onto ``[low, high]``
       (channels without any variation get weight 1);
    4. bilinearly resized back to ``(H, W)``.

    This is the pooled map of the authors' ``getPatchLossMask_stepsize``,
    which their loss does not use: it weighs the loss with a Gaussian on the
    most moving patch of frames 0, 5, 10, 15 of every raw 16-frame segment,
    one map per segment. That original is
    :class:`~mmssl.datasets.transforms.PRPMotionAttention` (data pipeline,
    the paper configs' default); this function needs no extra frames and
    gives one map per clip. Min-max normalisation per channel makes the map
    independent of per-channel affine pixel scaling, so it can be computed
    on normalised inputs.

    Args:
        clip (Tensor): ``(B, C, T, H, W)`` with ``T >= 2``.
        low (float): Weight of the least moving patch.
        high (float): Weight of the most moving patch.
        patch_frac (float): Patch side as a fraction of the frame side.
        stride_frac (float): Patch stride as a fraction of the frame side.

    Returns:
        Tensor: ``(B, C, 1, H, W)`` weights (no gradient), broadcastable over
        time.
    """
    if clip.dim() != 5 or clip.shape[2] < 2:
        raise ValueError('motion_attention needs a (B, C, T, H, W) clip with '
                         f'T >= 2, got {tuple(clip.shape)}')
    with torch.no_grad():
        clip = clip.float()
        height, width = clip.shape[-2:]
        energy = (clip[:, :, 1:] - clip[:, :, :-1]).pow(2).mean(2)
        kernel = (max(1, round(patch_frac * height)),
                  max(1, round(patch_frac * width)))
        stride = (max(1, round(stride_frac * height)),
                  max(1, round(stride_frac * width)))
        pooled = F.avg_pool2d(energy, kernel, stride)  # (B, C, h, w)
        flat = pooled.flatten(2)
        lo = flat.min(-1, keepdim=True)[0]
        span = flat.max(-1, keepdim=True)[0] - lo
        scaled = (flat - lo) / span.clamp_min(1e-12)
        weights = torch.where(span > 0, low + (high - low) * scaled,
                              torch.ones_like(scaled)).view_as(pooled)
        weights = F.interpolate(
            weights, size=(height, width), mode='bilinear',
            align_corners=False)
    return weights.unsqueeze(2)
