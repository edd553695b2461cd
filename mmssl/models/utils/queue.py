"""A FIFO queue (memory bank) of key embeddings, kept as model buffers."""
from typing import List

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from .gather import concat_all_gather


class FeatureQueue(nn.Module):
    """Fixed-size FIFO queue of negative keys (MoCo's dictionary).

    He et al., "Momentum Contrast for Unsupervised Visual Representation
    Learning", CVPR 2020, Sec. 3.2. Used as the memory bank of negatives of
    TDL (Wang et al. 2020, k = 500) and RSPNet's A-VID task (Chen et al.,
    AAAI 2021, k = 16384).

    The queue and its write pointer are registered buffers, so they are
    saved in checkpoints and restored on resume. The queue starts with
    random unit vectors (as MoCo).

    Distributed training: :meth:`enqueue` all-gathers the keys of every rank
    (rank order) before writing, so every rank writes the same keys at the
    same position and the queues stay identical (no broadcast needed).

    Updates once per optimizer step: :meth:`stage` keeps a forward pass's
    keys aside (detached) and :meth:`flush` enqueues all staged keys at once
    after the optimizer step. Under gradient accumulation every forward of
    an accumulation window then sees the same queue, as one large batch
    would.

    Args:
        size (int): Number of keys ``K``.
        dim (int): Key dimension ``D``.
        max_staged (int): Staged batches allowed before :meth:`stage` raises
            (a missing :meth:`flush` would otherwise leak memory silently).
            Defaults to 64.

    Buffers:
        queue (Tensor): ``(K, D)``, row ``i`` is a key.
        ptr (Tensor): ``(1,)`` long, the next row to overwrite.
    """

    def __init__(self, size: int, dim: int, max_staged: int = 64) -> None:
        super().__init__()
        if size < 1 or dim < 1:
            raise ValueError(f'queue size and dim must be >= 1, got '
                             f'size={size}, dim={dim}')
        self.size = size
        self.dim = dim
        self.max_staged = max_staged
        self.register_buffer('queue',
                             F.normalize(torch.randn(size, dim), dim=1))
        self.register_buffer('ptr', torch.zeros(1, dtype=torch.long))
        self._staged: List[Tensor] = []

    @torch.no_grad()
    def enqueue(self, keys: Tensor, gather: bool = True) -> None:
        """Write keys at the pointer (wrapping around) and advance it.

        Key ``i`` of the (gathered) batch goes to row ``(ptr + i) % K``; if
        more than ``K`` keys arrive, the last ``K`` of them remain (as
        sequential writes would leave). ``ptr`` becomes ``(ptr + n) % K``.

        Args:
            keys (Tensor): ``(n, D)`` local keys (any dtype; stored in the
                queue's dtype).
            gather (bool): All-gather the keys of all ranks first (a
                collective). Defaults to True.
        """
        if keys.dim() != 2 or keys.shape[1] != self.dim:
            raise ValueError(f'keys must have shape (n, {self.dim}), got '
                             f'{tuple(keys.shape)}')
        keys = concat_all_gather(keys) if gather else keys.detach()
        n = keys.shape[0]
        if n == 0:
            return
        ptr = int(self.ptr.item())
        keep = min(n, self.size)
        rows = (ptr + torch.arange(n - keep, n, device=self.queue.device)
                ) % self.size
        self.queue.index_copy_(0, rows, keys[n - keep:].to(self.queue))
        self.ptr.fill_((ptr + n) % self.size)

    @torch.no_grad()
    def stage(self, keys: Tensor) -> None:
        """Keep keys aside until :meth:`flush` (local, no collective)."""
        if len(self._staged) >= self.max_staged:
            raise RuntimeError(
                f'FeatureQueue: {len(self._staged)} batches of keys staged '
                'but never flushed. The post-optimizer-step update did not '
                'run: train through the algorithm\'s train_step, and under '
                "DDP use model_wrapper_cfg=dict(type="
                "'mmssl.models.utils.SSLDistributedDataParallel').")
        self._staged.append(keys.detach())

    @torch.no_grad()
    def flush(self, gather: bool = True) -> int:
        """Enqueue all staged keys (one gather); return how many (local).

        Nothing is staged -> nothing happens (no collective). Every rank
        stages in every forward, so the ranks agree on this.
        """
        if not self._staged:
            return 0
        keys = torch.cat(self._staged)
        self._staged = []
        self.enqueue(keys, gather=gather)
        return keys.shape[0]

    @property
    def num_staged(self) -> int:
        """Number of staged (not yet enqueued) batches."""
        return len(self._staged)

    def extra_repr(self) -> str:
        return f'size={self.size}, dim={self.dim}'
