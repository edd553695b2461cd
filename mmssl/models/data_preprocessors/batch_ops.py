"""Base class of the batched per-clip augmentations (torch, any device).

A batch ``(B, [V,] C, T, H, W)`` of ``NCTHW`` clips holds ``n = B * V``
clips. A batch augmentation draws one parameter set per clip (each view of
each sample its own, constant over the clip's frames: the semantics of the
CPU ``Clip*`` transforms inside ``PerClipTransform``) with torch's random
generator of the batch's device, and applies all clips at once. Values are
floats in [0, 255] (the preprocessor un-normalises first).
"""
from typing import Callable, Dict, Optional, Tuple

import torch
from torch import nn

Params = Dict[str, Optional[torch.Tensor]]


def check_probability(p: float) -> float:
    """Return ``p`` as a float, or raise if it is not in [0, 1]."""
    if not 0.0 <= float(p) <= 1.0:
        raise ValueError(f'p must be in [0, 1], got {p}')
    return float(p)


def uniform(low: float, high: float, n: int, device: torch.device,
            generator: Optional[torch.Generator]) -> torch.Tensor:
    """``n`` float32 draws from U[low, high) on ``device``."""
    u = torch.rand(n, device=device, generator=generator)
    return low + (high - low) * u


def clip_view(x: torch.Tensor, name: str) -> Tuple[torch.Tensor, tuple]:
    """``(*lead, C, T, H, W)`` -> ``(n, C, T, H, W)`` view and ``lead``."""
    if x.ndim < 5:
        raise ValueError(f'{name} needs NCTHW clips (*, C, T, H, W), got '
                         f'shape {tuple(x.shape)}')
    lead = tuple(x.shape[:-4])
    return x.reshape(-1, *x.shape[-4:]), lead


def per_clip(values: torch.Tensor, ndim: int = 5) -> torch.Tensor:
    """``(n,)`` -> ``(n, 1, 1, 1, 1)`` for broadcasting over clips."""
    return values.view(-1, *([1] * (ndim - 1)))


SelectedFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def update_selected_(out: torch.Tensor, mask: torch.Tensor,
                     fn: SelectedFn) -> None:
    """``out[mask] = fn(out[mask], idx)`` in place over the clip axis.

    ``fn`` gets the selected clips (a copy, or ``out`` itself when all are
    selected: it may work in place) and their indices ``idx`` (to pick
    their parameters), and only runs on them, so an op with probability
    ``p`` costs about ``p`` of a full pass. Finding the selection waits for
    the device once.
    """
    idx = mask.nonzero().squeeze(1)
    if idx.numel() == 0:
        return
    if idx.numel() == out.size(0):
        res = fn(out, idx)
        if res is not out:
            out.copy_(res)
        return
    out.index_copy_(0, idx, fn(out.index_select(0, idx), idx))


def on_selected(clips: torch.Tensor, mask: torch.Tensor,
                fn: SelectedFn) -> torch.Tensor:
    """A copy of ``clips`` with ``fn`` applied to the ``mask`` ed ones."""
    out = clips.clone()
    update_selected_(out, mask, fn)
    return out


class BatchClipAugment(nn.Module):
    """One random draw per clip, applied to a whole batch.

    Subclasses implement :meth:`draw` (parameters of ``n`` clips, including
    an ``apply`` bool mask from the probability ``p``) and
    :meth:`apply_params` (``(n, C, T, H, W)`` clips and those parameters;
    not ``apply``, which ``nn.Module`` owns). :meth:`forward` draws and
    applies; tests and tools pass explicit parameters to
    :meth:`apply_params` to compare with the CPU transforms.

    Args:
        p (float): Probability of augmenting a clip.
    """

    def __init__(self, p: float) -> None:
        super().__init__()
        self.p = check_probability(p)

    def draw_mask(self, n: int, device: torch.device,
                  generator: Optional[torch.Generator]) -> torch.Tensor:
        """``(n,)`` bool: which clips are augmented (``rand < p``)."""
        return torch.rand(n, device=device, generator=generator) < self.p

    def draw(self,
             n: int,
             device: torch.device,
             generator: Optional[torch.Generator] = None) -> Params:
        """Draw the parameters of ``n`` clips (tensors on ``device``)."""
        raise NotImplementedError

    def apply_params(self, clips: torch.Tensor,
                     params: Params) -> torch.Tensor:
        """Augment ``(n, C, T, H, W)`` float clips with ``params``."""
        raise NotImplementedError

    def forward(self,
                x: torch.Tensor,
                generator: Optional[torch.Generator] = None) -> torch.Tensor:
        """Augment a batch ``(*, C, T, H, W)`` in [0, 255]; same shape,
        device and dtype."""
        clips, lead = clip_view(x, type(self).__name__)
        if self.p == 0.0 or clips.size(0) == 0:
            return x
        params = self.draw(clips.size(0), x.device, generator)
        out = self.apply_params(clips, params)
        return out.reshape(*lead, *out.shape[1:])

    def extra_repr(self) -> str:
        return f'p={self.p}'
