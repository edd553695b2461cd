"""Grad-CAM of a 3D backbone (Selvaraju et al., "Grad-CAM: Visual
Explanations from Deep Networks via Gradient-based Localization", ICCV
2017), for clips.

For a target layer with activations ``A (N, C, T', H', W')`` and a scalar
score ``y`` per clip::

    w_c   = mean over (t, h, w) of dy / dA_c          (Eq. 1)
    CAM   = ReLU(sum_c w_c A_c)                       (Eq. 2)

upsampled (trilinear) to the clip's ``(T, H, W)`` and min-max normalised
per clip to [0, 1] (a constant map becomes all zeros). The score is the
class score (pre-softmax) of a recognizer's head, or, for a pretrained
encoder without a classifier, the squared L2 norm of its pooled feature
(what the encoder responds to most; our choice, docs/analysis/
feature_pictures.md). MMAction2's ``mmaction.utils.GradCAM`` takes one
weight per time step (``w_{t,c}``) and only accepts recognizers; this one
follows the paper's global average and takes any backbone.
"""
from typing import Callable, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor, nn

__all__ = ['grad_cam', 'overlay_heatmap']


def grad_cam(forward: Callable[[Tensor], Tensor], layer: nn.Module,
             inputs: Tensor) -> Tuple[Tensor, Tensor, Tensor]:
    """Grad-CAM maps of ``layer`` for the scores ``forward(inputs)``.

    Args:
        forward (Callable): ``(N, C, T, H, W) -> (N,)`` scores; runs the
            model through ``layer``.
        layer (nn.Module): Target layer; its output ``(N, C', T', H', W')``
            (the first element if it returns a tuple).
        inputs (Tensor): ``(N, C, T, H, W)`` network input.

    Returns:
        tuple[Tensor, Tensor, Tensor]: ``(N, T, H, W)`` maps in [0, 1], the
        ``(N,)`` scores and the ``(N,)`` maxima of the maps before
        normalisation (0: no positive evidence at this layer, the map is
        all zeros).

    Raises:
        RuntimeError: ``layer`` was not run by ``forward``, or its output
            is not 5-D.
    """
    store = {}

    def hook(module, args, output):
        if isinstance(output, (tuple, list)):
            output = output[0]
        store['acts'] = output
        output.register_hook(lambda grad: store.__setitem__('grads', grad))

    handle = layer.register_forward_hook(hook)
    try:
        with torch.enable_grad():
            scores = forward(inputs)
            if 'acts' not in store:
                raise RuntimeError('the target layer did not run')
            scores.sum().backward()
    finally:
        handle.remove()
    acts, grads = store['acts'].detach(), store['grads'].detach()
    if acts.dim() != 5:
        raise RuntimeError(f'expected a (N, C, T, H, W) target layer output,'
                           f' got {tuple(acts.shape)}')
    weights = grads.mean(dim=(2, 3, 4), keepdim=True)
    cam = F.relu((weights * acts).sum(dim=1, keepdim=True))
    cam = F.interpolate(cam, size=tuple(inputs.shape[-3:]),
                        mode='trilinear', align_corners=False)[:, 0]
    flat = cam.flatten(1)
    peaks = flat.max(dim=1).values
    low = flat.min(dim=1).values.view(-1, 1, 1, 1)
    span = (flat.max(dim=1).values.view(-1, 1, 1, 1) - low)
    cam = torch.where(span > 0, (cam - low) / span.clamp(min=1e-12),
                      torch.zeros_like(cam))
    return cam, scores.detach(), peaks


def overlay_heatmap(frame, cam, alpha: float = 0.45,
                    colormap: str = 'jet'):
    """Blend an ``(H, W)`` map in [0, 1] over an ``(H, W, 3)`` uint8 frame.

    Returns:
        np.ndarray: ``(H, W, 3)`` float RGB in [0, 1].
    """
    import matplotlib
    import numpy as np
    heat = matplotlib.colormaps[colormap](np.asarray(cam))[..., :3]
    return (1 - alpha) * np.asarray(frame, dtype=np.float64) / 255 \
        + alpha * heat
