"""Apply segment permutations and time reversal to frame sequences."""
from torch import Tensor

from mmssl.datasets.transforms.sampling import permutation_table


def shuffle_segments(seq: Tensor, order_labels: Tensor,
                     num_segments: int) -> Tensor:
    """Reorder equal time segments of each sequence by its permutation.

    With ``perm = permutation_table(num_segments)[order_labels[n]]``, output
    segment ``i`` of row ``n`` is input segment ``perm[i]`` (VCOP's
    convention: the clips are shown in the order ``perm``, the class is its
    table index).

    Args:
        seq (Tensor): ``(N, T, ...)``, ``T`` divisible by ``num_segments``.
        order_labels (Tensor): long ``(N, )``.
        num_segments (int): ``S``.

    Returns:
        Tensor: ``(N, T, ...)``.
    """
    batch, frames = seq.shape[:2]
    if frames % num_segments:
        raise ValueError(f'{frames} frames cannot be cut into '
                         f'{num_segments} equal segments')
    if order_labels.shape != (batch, ):
        raise ValueError(f'order_labels must be ({batch}, ), got '
                         f'{tuple(order_labels.shape)}')
    table = seq.new_tensor(permutation_table(num_segments)).long()
    perms = table[order_labels.to(seq.device).long()]  # (N, S)
    seg = frames // num_segments
    frame_index = (perms[:, :, None] * seg +
                   seq.new_tensor(range(seg)).long()).flatten(1)  # (N, T)
    index = frame_index.view(batch, frames, *([1] * (seq.dim() - 2)))
    return seq.gather(1, index.expand_as(seq))


def reverse_time(seq: Tensor, reverse: Tensor) -> Tensor:
    """Reverse the time axis of the rows where ``reverse`` is 1.

    Args:
        seq (Tensor): ``(N, T, ...)``.
        reverse (Tensor): ``(N, )`` 0/1 (or bool).

    Returns:
        Tensor: ``(N, T, ...)``.
    """
    if reverse.shape != seq.shape[:1]:
        raise ValueError(f'reverse must be ({seq.shape[0]}, ), got '
                         f'{tuple(reverse.shape)}')
    flags = reverse.to(seq.device).bool().view(-1, *([1] * (seq.dim() - 1)))
    return seq.flip(1).where(flags, seq)
