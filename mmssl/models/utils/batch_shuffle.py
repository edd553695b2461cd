"""Batch shuffle / unshuffle across ranks for momentum (key) encoders.

He et al., "Momentum Contrast for Unsupervised Visual Representation
Learning" (MoCo), CVPR 2020, Sec. 3.3 "Shuffling BN": before the key encoder
runs, the samples of the global batch are permuted across ranks, so that the
batch-norm statistics of a rank's keys come from other videos than the
rank's queries (otherwise the intra-batch statistics leak which key belongs
to which query). The key features are then brought back to their owners.

Both functions are collectives when a process group with more than one rank
is initialised (every rank must call them in the same order) and are no-ops
on one process. Every rank must hold the same number of samples (as MoCo;
use ``drop_last=True``); a mismatch raises a ``ValueError``.
"""
from typing import Optional, Tuple

import torch
import torch.distributed as dist
from torch import Tensor

from .gather import _gather_sizes, concat_all_gather, is_dist_active


def _check_equal_sizes(local: int, device: torch.device) -> int:
    sizes = _gather_sizes(local, device)
    if len(set(sizes)) != 1:
        raise ValueError(
            f'batch shuffle needs the same batch size on every rank, got '
            f'{sizes}; use drop_last=True in the train dataloader sampler')
    return len(sizes)


@torch.no_grad()
def batch_shuffle_ddp(
        x: Tensor,
        generator: Optional[torch.Generator] = None
) -> Tuple[Tensor, Optional[Tensor]]:
    """Permute the global batch across ranks.

    Args:
        x (Tensor): Local samples, shape ``(n, *)`` (the same ``n`` on every
            rank).
        generator (torch.Generator, optional): RNG of the permutation on
            rank 0 (the permutation is broadcast from rank 0). Defaults to
            torch's global RNG.

    Returns:
        tuple[Tensor, Tensor | None]: The ``n`` samples this rank processes
        after shuffling, ``(n, *)`` (detached), and ``idx_unshuffle``
        ``(W * n,)``, the inverse permutation to pass to
        :func:`batch_unshuffle_ddp`. On one process: ``(x, None)``.
    """
    if not is_dist_active():
        return x, None
    world = _check_equal_sizes(x.shape[0], x.device)
    x_all = concat_all_gather(x)
    idx_shuffle = torch.randperm(
        x_all.shape[0], generator=generator).to(x.device)
    dist.broadcast(idx_shuffle, src=0)
    idx_unshuffle = torch.argsort(idx_shuffle)
    idx_this = idx_shuffle.view(world, -1)[dist.get_rank()]
    return x_all[idx_this], idx_unshuffle


@torch.no_grad()
def batch_unshuffle_ddp(x: Tensor, idx_unshuffle: Optional[Tensor]) -> Tensor:
    """Undo :func:`batch_shuffle_ddp` on the encoder outputs.

    Args:
        x (Tensor): Outputs for the shuffled local samples, ``(n, *)``.
        idx_unshuffle (Tensor | None): Second output of
            :func:`batch_shuffle_ddp`; ``None`` (one process) returns ``x``.

    Returns:
        Tensor: Outputs in the original local order, ``(n, *)`` (detached):
        row ``i`` belongs to the rank's ``i``-th input sample.
    """
    if idx_unshuffle is None:
        return x
    world = dist.get_world_size()
    x_all = concat_all_gather(x)
    idx_this = idx_unshuffle.view(world, -1)[dist.get_rank()]
    return x_all[idx_this]
