"""All-gather helpers for contrastive losses whose negatives span all ranks.

Gradient convention (read this before using :func:`gather_with_grad`)
----------------------------------------------------------------------
Let rank ``r`` of ``W`` ranks hold the rows ``x_r`` and compute a loss
``L_r`` from the gathered tensor ``X = cat(x_0, ..., x_{W-1})``. MMEngine's
``MMDistributedDataParallel`` (plain DDP) back-propagates every rank's
``L_r`` through that rank's graph only and then **averages** parameter
gradients over ranks, i.e. it optimises ``L = (1 / W) * sum_r L_r``.

The rows ``x_r`` influence *every* rank's loss through ``X``, but only rank
``r``'s graph reaches the encoder that produced them. The backward of the
gather therefore sums (all-reduces) the incoming gradient of ``X`` over ranks
and returns the local rank's slice::

    grad(x_r) = sum_s dL_s / dx_r

after which DDP's averaging gives, for every parameter ``theta``,

    (1 / W) * sum_r (dx_r / dtheta)^T grad(x_r) = d[(1 / W) sum_s L_s] / dtheta

which is exactly the single-process gradient of ``L``. Consequently a loss
that is a *mean over anchors* in single-process training must be written as
the mean over the **local** anchors on every rank (with equal per-rank batch
sizes the average of the per-rank means is the global mean). Under this
convention the raw autograd gradient of ``x_r`` on rank ``r`` equals
``W`` times the single-process gradient of those rows; DDP's division by
``W`` makes the update identical. (``torch.distributed.nn.all_gather`` uses
the same convention; a backward that returns only ``grad[rank]`` without the
sum drops the gradient terms coming from the other ranks' anchors.)

Unequal per-rank batch sizes (e.g. the last batch with ``drop_last=False``)
are supported by padding to the largest size before the collective (the
average of per-rank means is then no longer exactly the global mean).

All functions here are collectives when distributed: every rank must call
them (and run the backward of :func:`gather_with_grad`) in the same order.
"""
from typing import List, Optional, Tuple

import torch
import torch.distributed as dist
from torch import Tensor


def is_dist_active() -> bool:
    """Whether a process group with more than one rank is initialised."""
    return (dist.is_available() and dist.is_initialized()
            and dist.get_world_size() > 1)


def _gather_sizes(local_size: int, device: torch.device) -> List[int]:
    """All-gather the dim-0 sizes of every rank (rank order)."""
    size = torch.tensor([local_size], dtype=torch.long, device=device)
    sizes = [torch.zeros_like(size) for _ in range(dist.get_world_size())]
    dist.all_gather(sizes, size)
    return [int(s.item()) for s in sizes]


def _all_gather_cat(x: Tensor, sizes: List[int]) -> Tensor:
    """Concatenate ``x`` over ranks along dim 0 (no autograd).

    Args:
        x (Tensor): Local rows, shape ``(sizes[rank], *)``.
        sizes (list[int]): Dim-0 sizes of all ranks (from
            :func:`_gather_sizes`).

    Returns:
        Tensor: Shape ``(sum(sizes), *x.shape[1:])``.
    """
    x = x.contiguous()
    max_size = max(sizes)
    if x.shape[0] < max_size:
        pad = x.new_zeros((max_size - x.shape[0], *x.shape[1:]))
        x = torch.cat([x, pad], dim=0)
    out = [torch.empty_like(x) for _ in sizes]
    dist.all_gather(out, x)
    return torch.cat([o[:n] for o, n in zip(out, sizes)], dim=0)


class _GatherWithGrad(torch.autograd.Function):
    """All-gather along dim 0 whose backward all-reduces (sums) the gradient
    and returns the local slice. See the module docstring for why."""

    @staticmethod
    def forward(ctx, x: Tensor, sizes: List[int], start: int) -> Tensor:
        ctx.start, ctx.stop = start, start + x.shape[0]
        return _all_gather_cat(x, sizes)

    @staticmethod
    def backward(ctx, grad_output: Tensor):
        # all_reduce is in place; never modify a gradient autograd may reuse.
        grad = grad_output.contiguous().clone()
        dist.all_reduce(grad, op=dist.ReduceOp.SUM)
        return grad[ctx.start:ctx.stop], None, None


def gather_with_grad_and_slice(x: Tensor) -> Tuple[Tensor, slice]:
    """:func:`gather_with_grad` that also returns the local rows' slice.

    Args:
        x (Tensor): Local rows, shape ``(n_r, *)``.

    Returns:
        tuple[Tensor, slice]: The gathered tensor ``(sum_r n_r, *)`` and the
        slice of rank ``r``'s rows in it (``(x, slice(0, n_r))`` when not
        distributed).
    """
    if not is_dist_active():
        return x, slice(0, x.shape[0])
    sizes = _gather_sizes(x.shape[0], x.device)
    start = sum(sizes[:dist.get_rank()])
    rows = slice(start, start + x.shape[0])
    return _GatherWithGrad.apply(x, sizes, start), rows


def gather_with_grad(x: Tensor) -> Tensor:
    """Concatenate ``x`` over all ranks along dim 0, keeping gradients.

    Args:
        x (Tensor): Local rows, shape ``(n_r, *)``.

    Returns:
        Tensor: Shape ``(sum_r n_r, *)`` in rank order; rank ``r``'s rows are
        at ``get_rank_slice(n_r)``. ``x`` itself when not distributed.

    The backward sums the gradient over ranks and returns the local slice,
    so that DDP's gradient averaging reproduces the single-process gradient
    of a loss defined as the mean over local anchors (module docstring).
    """
    return gather_with_grad_and_slice(x)[0]


@torch.no_grad()
def concat_all_gather(x: Tensor) -> Tensor:
    """Concatenate ``x`` over all ranks along dim 0 without gradient.

    For momentum-encoder keys, queue updates and batch shuffling.

    Args:
        x (Tensor): Local rows, shape ``(n_r, *)``.

    Returns:
        Tensor: Shape ``(sum_r n_r, *)`` in rank order (detached); ``x``
        detached when not distributed.
    """
    if not is_dist_active():
        return x.detach()
    x = x.detach()
    return _all_gather_cat(x, _gather_sizes(x.shape[0], x.device))


def get_rank_slice(local_size: int,
                   device: Optional[torch.device] = None) -> slice:
    """Rows of the local rank inside a tensor gathered over ranks.

    Collective when distributed (the sizes are all-gathered, so unequal
    per-rank sizes are handled): call it on all ranks.

    Args:
        local_size (int): Number of local rows ``n_r``.
        device (torch.device, optional): Device of the size collective.
            Defaults to CUDA for the NCCL backend, else CPU.

    Returns:
        slice: ``slice(start, start + local_size)``; ``slice(0, local_size)``
        when not distributed.
    """
    if not is_dist_active():
        return slice(0, local_size)
    if device is None:
        is_nccl = dist.get_backend() == 'nccl'
        device = torch.device('cuda' if is_nccl else 'cpu')
    start = sum(_gather_sizes(local_size, device)[:dist.get_rank()])
    return slice(start, start + local_size)
