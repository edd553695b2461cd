"""WGAN-GP gradient penalty (Gulrajani et al., NeurIPS 2017)."""
from typing import Callable, Optional

import torch
from torch import Tensor


def gradient_penalty(discriminator: Callable[..., Tensor],
                     real: Tensor,
                     fake: Tensor,
                     condition: Optional[Tensor] = None,
                     alpha: Optional[Tensor] = None) -> Tensor:
    """``E[(||grad_x D(x | c)||_2 - 1)^2]`` at ``x = a * real + (1 - a) *
    fake`` (the last term of CSVR Eq. 1).

    The penalty is differentiable w.r.t. the discriminator's parameters
    (``create_graph=True``); ``fake`` is detached, so it trains the
    discriminator only.

    Args:
        discriminator (callable): ``D(x)`` or ``D(x, condition)`` returning
            one score per sample, ``(N,)`` or ``(N, 1)``.
        real (Tensor): Real samples ``(N, *shape)``.
        fake (Tensor): Generated samples, same shape.
        condition (Tensor, optional): Passed to ``D`` as its second argument
            (CGAN conditioning, e.g. the observed poses ``P_in``).
        alpha (Tensor, optional): Interpolation weights ``(N,)``; uniform
            in ``[0, 1)`` when omitted.

    Returns:
        Tensor: Scalar penalty (mean over the ``N`` interpolates).
    """
    if real.shape != fake.shape:
        raise ValueError('gradient_penalty: real and fake shapes differ: '
                         f'{tuple(real.shape)} vs {tuple(fake.shape)}')
    n = real.shape[0]
    if alpha is None:
        alpha = torch.rand(n, device=real.device, dtype=real.dtype)
    alpha = alpha.view(n, *([1] * (real.dim() - 1)))
    mixed = (alpha * real.detach() + (1 - alpha) * fake.detach())
    mixed.requires_grad_(True)
    with torch.enable_grad():
        scores = (discriminator(mixed) if condition is None else
                  discriminator(mixed, condition))
        grads, = torch.autograd.grad(
            scores.sum(), mixed, create_graph=True)
    norms = grads.flatten(1).norm(2, dim=1)
    return ((norms - 1)**2).mean()
