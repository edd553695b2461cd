"""Losses of the view-synthesis module (Section III-G, Eq. 13-16).

Pure tensor functions of "Self-supervised video representation learning by
segment sampling-rate and order prediction" (Fig. 3); the choices where
the paper is silent are in
``docs/methods/segment_rate_order_view_synthesis.md``.
Every loss is a mean over its elements (the paper's ``1/n sum``).
"""
import torch
import torch.nn.functional as F
from torch import Tensor

from mmssl.models.generators.flow_estimator import warp_clip


def charbonnier(x: Tensor, eps: float = 1e-3) -> Tensor:
    """Charbonnier penalty ``rho(x) = sqrt(x^2 + eps^2)``, elementwise.

    A differentiable variant of ``|x|`` (Sun et al. 2010); the paper uses
    ``eps = 1e-3``.
    """
    return torch.sqrt(x * x + eps * eps)


def photometric_loss(clips: Tensor, flow: Tensor, eps: float = 1e-3) -> Tensor:
    """Eq. 13: ``mean rho(x^(1) - warp(x^(2), o_x))``.

    ``x^(1)`` are frames ``1..T-1`` and ``x^(2)`` frames ``2..T`` of each
    clip; frames ``2..T`` are backward-warped with the estimated flow onto
    frames ``1..T-1`` (:func:`~mmssl.models.generators.warp_clip`).

    Args:
        clips (Tensor): ``(N, C, T, H, W)``.
        flow (Tensor): ``(N, 2, T - 1, H, W)`` in pixels.
        eps (float): Charbonnier ``eps``. Defaults to 1e-3.

    Returns:
        Tensor: Scalar, mean over ``N, C, T - 1, H, W``.
    """
    return charbonnier(clips[:, :, :-1] - warp_clip(clips, flow), eps).mean()


def gaussian_kl_divergence(mu: Tensor, logvar: Tensor) -> Tensor:
    """Eq. 14: ``KL(N(mu, sigma^2) || N(0, 1))`` per latent element,
    ``1/2 (mu^2 + sigma^2 - log sigma^2 - 1)``, averaged over all elements
    (batch and latent map).

    Args:
        mu (Tensor): Posterior means, any shape.
        logvar (Tensor): ``log sigma^2``, same shape.

    Returns:
        Tensor: Scalar.
    """
    if mu.shape != logvar.shape:
        raise ValueError(f'mu {tuple(mu.shape)} and logvar '
                         f'{tuple(logvar.shape)} must have the same shape')
    return 0.5 * (mu.pow(2) + logvar.exp() - logvar - 1).mean()


def info_max_loss(flow_real: Tensor,
                  flow_view: Tensor,
                  eps: float = 1e-3) -> Tensor:
    """Eq. 15: ``mean rho(o_x - o_x')``, with ``o_x`` detached.

    Keeps the motion of the clip in the synthesised view: the flow of the
    view ``x'`` must match the (fixed) flow of the real clip ``x``.

    Args:
        flow_real (Tensor): ``O(x)``, ``(N, 2, T - 1, H, W)``; no gradient
            flows into it.
        flow_view (Tensor): ``O(x')``, same shape.
        eps (float): Charbonnier ``eps``. Defaults to 1e-3.

    Returns:
        Tensor: Scalar.
    """
    if flow_real.shape != flow_view.shape:
        raise ValueError(f'flows must have the same shape, got '
                         f'{tuple(flow_real.shape)} and '
                         f'{tuple(flow_view.shape)}')
    return charbonnier(flow_real.detach() - flow_view, eps).mean()


def info_min_loss(embed_real: Tensor, embed_view: Tensor) -> Tensor:
    """Eq. 16 as the text describes it: ``mean cos(f(x), f(x'))``, with
    ``f(x)`` detached (stop-gradient).

    Minimising it *lowers* the similarity of the embeddings of the clip and
    its synthesised view, i.e. minimises their shared (appearance)
    information. The printed Eq. 16 reads ``L = -D(f(x), f(x'))``, whose
    minimisation would *raise* the similarity, contradicting "we minimize
    the mutual information ... to suppress the appearance dependence"; we
    follow the text (see the method page).

    Args:
        embed_real (Tensor): ``f(x)``, ``(N, D)``; no gradient flows into it.
        embed_view (Tensor): ``f(x')``, ``(N, D)``.

    Returns:
        Tensor: Scalar in ``[-1, 1]``.
    """
    if embed_real.shape != embed_view.shape or embed_real.dim() != 2:
        raise ValueError(f'embeddings must both be (N, D), got '
                         f'{tuple(embed_real.shape)} and '
                         f'{tuple(embed_view.shape)}')
    return F.cosine_similarity(embed_real.detach(), embed_view, dim=1).mean()
