"""Adversarial losses of a (conditional) GAN and OSGAN's one-stage update.

Used by CSVR's pose CGAN (Eq. 1) and video TGANs (Eq. 6-7). ``s`` are
discriminator logits (one per sample).

- ``'vanilla'``: the log loss of the paper's equations. Discriminator:
  ``mean softplus(-s_real) + mean softplus(s_fake)`` (= ``-log D(real) -
  log(1 - D(fake))`` with ``D = sigmoid(s)``); generator: the
  non-saturating ``mean softplus(-s_fake)`` (= ``-log D(G(z))``).
- ``'wgan'``: ``mean(s_fake) - mean(s_real)``; generator ``-mean(s_fake)``
  (the critic of WGAN-GP, whose gradient penalty Eq. 1 adds).

One-stage update (OSGAN: Shen et al., "Training Generative Adversarial
Networks in One Stage", CVPR 2021). The discriminator's and the
generator's adversarial gradients both flow back from the same
discriminator outputs on the fake batch; OSGAN backpropagates the
discriminator loss once and rescales the gradient that reaches the fake
samples so that the generator receives the gradient of its own loss. For a
discriminator that treats samples independently (no batch norm: ours use
none) the per-sample factor is exact:
``dL_G/ds_j = r_j * dL_D/ds_j`` with ``r_j = -exp(-s_j)`` (vanilla, the
"asymmetric" case) or ``r_j = -1`` (WGAN, the "symmetric" case);
:func:`osgan_scale` applies ``r_j`` (times the generator loss weight) to
the gradient of the fake batch.
"""
import torch
import torch.nn.functional as F
from torch import Tensor

ADVERSARIAL_TYPES = ('vanilla', 'wgan')


def _check(loss_type: str) -> None:
    if loss_type not in ADVERSARIAL_TYPES:
        raise ValueError(f'adversarial loss type {loss_type!r} is not one '
                         f'of {ADVERSARIAL_TYPES}')


def discriminator_loss(real_logits: Tensor, fake_logits: Tensor,
                       loss_type: str = 'vanilla') -> Tensor:
    """Discriminator loss (minimised), scalar. Logits ``(N,)``."""
    _check(loss_type)
    if loss_type == 'wgan':
        return fake_logits.mean() - real_logits.mean()
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def generator_loss(fake_logits: Tensor, loss_type: str = 'vanilla') -> Tensor:
    """Generator adversarial loss (minimised), scalar. Logits ``(N,)``."""
    _check(loss_type)
    if loss_type == 'wgan':
        return -fake_logits.mean()
    return F.softplus(-fake_logits).mean()


def osgan_ratio(fake_logits: Tensor, loss_type: str = 'vanilla') -> Tensor:
    """Per-sample ``r_j = (dL_G/ds_j) / (dL_D/ds_j)`` at the fake logits,
    detached, ``(N,)``."""
    _check(loss_type)
    s = fake_logits.detach().float().reshape(-1)
    if loss_type == 'wgan':
        return -torch.ones_like(s)
    return -torch.exp(-s.clamp(min=-30.0))


class _ScaleGrad(torch.autograd.Function):
    """Identity forward; backward multiplies sample ``j``'s gradient by
    ``holder['scale'][j]`` (filled in after the discriminator's forward)."""

    @staticmethod
    def forward(ctx, x, holder):
        ctx.holder = holder
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        scale = ctx.holder['scale'].to(grad.dtype)
        return grad * scale.view(-1, *([1] * (grad.dim() - 1))), None


def osgan_scale(fake: Tensor) -> tuple:
    """Insert OSGAN's gradient scaling between generator and discriminator.

    Usage::

        fake_in, holder = osgan_scale(fake)
        s_fake = D(fake_in)
        holder['scale'] = weight * osgan_ratio(s_fake, loss_type)
        (discriminator_loss(s_real, s_fake) + other_losses).backward()

    Then ``D`` gets ``dL_D`` and ``G`` gets ``weight * dL_G`` (adversarial
    part) from one backward pass.

    Args:
        fake (Tensor): Generated batch ``(N, ...)`` (with graph).

    Returns:
        tuple[Tensor, dict]: The batch to feed to ``D`` and the holder whose
        ``'scale'`` ``(N,)`` must be set before ``backward``.
    """
    holder = {'scale': None}
    return _ScaleGrad.apply(fake, holder), holder
