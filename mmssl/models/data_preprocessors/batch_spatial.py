"""Batched per-clip flip and Gaussian blur (torch, any device).

GPU counterparts of MMAction2's ``Flip`` and mmssl's ``ClipGaussianBlur``
run inside ``PerClipTransform``: one draw per clip, applied to all its
frames.
"""
from typing import Optional, Sequence, Union

import torch
import torch.nn.functional as F

from mmssl.datasets.transforms.color import _check_pair
from mmssl.registry import MODELS
from .batch_ops import BatchClipAugment, Params, on_selected, uniform


@MODELS.register_module()
class BatchClipFlip(BatchClipAugment):
    """Flip each clip with probability ``p`` (MMAction2 ``Flip`` with
    ``flip_ratio=p`` per clip). Labels and keypoints are not touched: use it
    only where the CPU pipeline's ``Flip`` had no ``flip_label_map``.

    Args:
        p (float): probability of flipping a clip. Default 0.5.
        direction (str): ``'horizontal'`` (width) or ``'vertical'``.
    """

    def __init__(self, p: float = 0.5, direction: str = 'horizontal') -> None:
        super().__init__(p)
        if direction not in ('horizontal', 'vertical'):
            raise ValueError('direction must be "horizontal" or "vertical", '
                             f'got {direction!r}')
        self.direction = direction

    def draw(self, n, device, generator=None) -> Params:
        """``apply`` (n,) bool."""
        return dict(apply=self.draw_mask(n, device, generator))

    def apply_params(self, clips: torch.Tensor,
                     params: Params) -> torch.Tensor:
        dim = -1 if self.direction == 'horizontal' else -2
        return on_selected(clips, params['apply'], lambda x, idx: x.flip(dim))

    def extra_repr(self) -> str:
        return f'p={self.p}, direction={self.direction!r}'


def opencv_kernel_size(sigma: torch.Tensor) -> torch.Tensor:
    """OpenCV's Gaussian kernel size for uint8 images and ``ksize=0``:
    ``round(6 * sigma + 1) | 1`` (long tensor, same shape)."""
    k = torch.round(sigma.double() * 6.0 + 1.0).long()
    return k + (1 - k % 2)


def gaussian_kernels(sigma: torch.Tensor, size: torch.Tensor,
                     width: int) -> torch.Tensor:
    """Normalised 1-D Gaussians, one per clip, zero-padded to ``width``.

    Args:
        sigma (Tensor): ``(n,)`` standard deviations in pixels.
        size (Tensor): ``(n,)`` odd kernel sizes <= ``width``.
        width (int): odd common width.

    Returns:
        Tensor: ``(n, width)`` float32 kernels, each summing to 1.
    """
    half = width // 2
    pos = torch.arange(-half, half + 1, device=sigma.device,
                       dtype=torch.float32)
    s = sigma.float().unsqueeze(1)
    w = torch.exp(-pos**2 / (2.0 * s**2))
    w = w * (pos.abs() <= ((size - 1) // 2).unsqueeze(1)).float()
    return w / w.sum(dim=1, keepdim=True)


@MODELS.register_module()
class BatchClipGaussianBlur(BatchClipAugment):
    """Batched :class:`~mmssl.datasets.transforms.ClipGaussianBlur`.

    Spatial separable blur with one sigma per clip, reflect-101 border (the
    CPU transform's ``cv2.BORDER_REFLECT_101``), kernel size as OpenCV
    derives it for uint8 frames (about ``6 sigma + 1``) unless fixed. All
    blurred clips run through one grouped ``conv2d`` per axis, their kernels
    zero-padded to the largest size of the sigma range.

    Args:
        sigma (tuple[float] | float): sigma range (or a fixed sigma), pixels.
        p (float): probability of blurring a clip. Default 0.5.
        kernel_size (int, optional): odd kernel size; ``None`` derives it
            from sigma as OpenCV does.
    """

    def __init__(self,
                 sigma: Union[float, Sequence[float]] = (0.1, 2.0),
                 p: float = 0.5,
                 kernel_size: Optional[int] = None) -> None:
        super().__init__(p)
        if kernel_size is not None and kernel_size % 2 == 0:
            raise ValueError(f'kernel_size must be odd, got {kernel_size}')
        self.sigma = _check_pair(sigma, 'sigma')
        self.kernel_size = kernel_size

    def draw(self, n, device, generator=None) -> Params:
        """``apply`` (n,) bool and ``sigma`` (n,)."""
        return dict(
            apply=self.draw_mask(n, device, generator),
            sigma=uniform(*self.sigma, n, device, generator))

    def apply_params(self, clips: torch.Tensor,
                     params: Params) -> torch.Tensor:
        return on_selected(clips, params['apply'],
                           lambda x, idx: self._blur(x, params['sigma'][idx]))

    def _blur(self, sub: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
        """Blur ``(m, C, T, H, W)`` clips, ``sigma`` ``(m,)``."""
        if self.kernel_size is None:
            width = int(opencv_kernel_size(torch.tensor(self.sigma[1])))
            size = opencv_kernel_size(sigma)
        else:
            width = self.kernel_size
            size = torch.full_like(sigma, width, dtype=torch.long)
        m, c, t, h, w = sub.shape
        half = width // 2
        if half >= min(h, w):
            raise ValueError(f'BatchClipGaussianBlur: kernel size {width} '
                             f'needs frames larger than {h}x{w}')
        kern = gaussian_kernels(sigma, size, width).to(sub.dtype)
        kern = kern.repeat_interleave(c * t, dim=0)  # (m*c*t, width)
        planes = sub.reshape(1, m * c * t, h, w)
        planes = F.pad(planes, (half, half, 0, 0), mode='reflect')
        planes = F.conv2d(planes, kern.view(-1, 1, 1, width),
                          groups=m * c * t)
        planes = F.pad(planes, (0, 0, half, half), mode='reflect')
        planes = F.conv2d(planes, kern.view(-1, 1, width, 1),
                          groups=m * c * t)
        return planes.view(m, c, t, h, w)

    def extra_repr(self) -> str:
        return (f'sigma={self.sigma}, p={self.p}, '
                f'kernel_size={self.kernel_size}')


__all__ = ['BatchClipFlip', 'BatchClipGaussianBlur']
