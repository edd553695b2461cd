"""In-batch composition of cross-video Same Speed Localization tuples.

STCLR (Altabrawee & Mohd Noor, "STCLR: Sparse Temporal Contrastive Learning
for Video Representation", Neurocomputing, Sec. 3.3): with probability
``C1`` the ``K`` clips of an SpeedLoc tuple come from ``K`` different videos. The
paper reads ``K`` more videos for such a tuple (Sec. 4.2.4, Table 6: an
STCLR epoch costs 3.0x TCLR's at ``C1 = 0.6``). Here every sample already
carries ``K`` SpeedLoc clips of its own video with known speeds; a cross-video
tuple is composed from the clips of *other samples in the batch* instead,
keeping each clip's speed, so its label follows from the speeds. No video is
read twice.

Everything is vectorised over the batch (a loop over the ``K`` tuple
positions only). Randomness comes from torch's RNG (``generator``).
"""
import itertools
from typing import Optional, Tuple

import torch
from torch import Tensor

# The one definition of the label, shared with the samplers (it runs on
# numpy arrays and torch tensors alike).
from mmssl.datasets.transforms.same_speed_sampling import \
    speed_tuple_label as speed_label  # noqa: E402


def _pick(weights: Tensor,
          generator: Optional[torch.Generator]) -> Tuple[Tensor, Tensor]:
    """One index per row drawn proportionally to ``weights`` ``(T, N)``;
    also whether the row had any admissible entry."""
    valid = weights.sum(1) > 0
    safe = torch.where(valid[:, None], weights, torch.ones_like(weights))
    return torch.multinomial(safe, 1, generator=generator)[:, 0], valid


def compose_speed_tuples(
        speeds: Tensor,
        cross_prob: float,
        same_prob: float,
        generator: Optional[torch.Generator] = None
) -> Tuple[Tensor, Tensor, Tensor]:
    """Replace, with probability ``C1``, each sample's own SpeedLoc tuple by one
    composed of clips of ``K`` different samples of the batch.

    Clip pool: the ``B * K`` SpeedLoc clips of the batch, clip ``n`` of sample
    ``n // K`` with speed ``speeds.flatten()[n]``. A composed tuple is
    "same" with probability ``C2`` (a pair of clips of two different videos
    with equal speed, placed at a uniformly drawn pair position; the other
    clips from further videos with distinct other speeds), else "None"
    (``K`` videos, ``K`` distinct speeds). A row whose draw is impossible in
    this batch (e.g. no speed occurs in two videos) keeps the sample's own
    tuple; ``cross`` reports which rows were replaced.

    Args:
        speeds (Tensor): ``(B, K)`` long, speeds of each sample's SpeedLoc clips.
        cross_prob (float): ``C1``.
        same_prob (float): ``C2`` (``C3 = 1 - C2`` for "None").
        generator (torch.Generator, optional): RNG.

    Returns:
        tuple[Tensor, Tensor, Tensor]: ``index`` ``(B, K)`` into the
        flattened pool, ``labels`` ``(B,)`` (derived from the speeds of the
        composed tuples) and ``cross`` ``(B,)`` bool.
    """
    if speeds.dim() != 2:
        raise ValueError(f'speeds must be (B, K), got {tuple(speeds.shape)}')
    batch, k = speeds.shape
    device = speeds.device
    own = torch.arange(batch * k, device=device).view(batch, k)
    if batch < k or cross_prob <= 0:
        return own, speed_label(speeds), torch.zeros(
            batch, dtype=torch.bool, device=device)

    spd = speeds.reshape(-1)
    video = torch.arange(batch, device=device).repeat_interleave(k)
    n = spd.numel()

    def rand(*shape):
        return torch.rand(*shape, generator=generator, device=device)

    cross = rand(batch) < cross_prob
    same = rand(batch) < same_prob
    same_speed = spd[:, None] == spd[None, :]
    other_video = video[:, None] != video[None, :]
    pair_ok = same_speed & other_video  # (N, N)

    # First two picks: a same-speed pair from two videos for "same" rows,
    # two clips of different videos and speeds for "None" rows.
    first_w = torch.where(same[:, None], pair_ok.any(1)[None].float(),
                          torch.ones(batch, n, device=device))
    first, valid = _pick(first_w, generator)
    second_w = torch.where(same[:, None], pair_ok[first],
                           other_video[first] & ~same_speed[first]).float()
    second, ok = _pick(second_w, generator)
    valid &= ok
    picks = [first, second]
    for _ in range(k - 2):  # further clips: new video and new speed
        w = torch.ones(batch, n, dtype=torch.bool, device=device)
        for p in picks:
            w &= other_video[p] & ~same_speed[p]
        nxt, ok = _pick(w.float(), generator)
        valid &= ok
        picks.append(nxt)
    picks = torch.stack(picks, 1)  # (B, K): pair first for "same" rows

    # Move the pair to a uniformly drawn pair position.
    pairs = list(itertools.combinations(range(k), 2))
    orders = torch.tensor(
        [list(p) + [q for q in range(k) if q not in p] for p in pairs],
        device=device)  # orders[y] = tuple positions of picks 0..K-1
    pair_label = torch.randint(
        len(pairs), (batch, ), generator=generator, device=device)
    positions = torch.where(same[:, None], orders[pair_label],
                            torch.arange(k, device=device).expand(batch, k))
    composed = torch.empty_like(picks).scatter_(1, positions, picks)

    cross &= valid
    index = torch.where(cross[:, None], composed, own)
    labels = speed_label(spd[index])
    return index, labels, cross


def compose_speedloc_batch(feats: Tensor,
                      speeds: Tensor,
                      cross_prob: float,
                      same_prob: float,
                      given_labels: Optional[Tensor] = None,
                      generator: Optional[torch.Generator] = None
                      ) -> Tuple[Tensor, Tensor, Tensor]:
    """Features and labels of the SpeedLoc tuples of a batch.

    Args:
        feats (Tensor): ``(B, K, D)`` features of each sample's SpeedLoc clips.
        speeds (Tensor): ``(B, K)`` their speeds.
        cross_prob (float): ``C1`` (0 keeps every sample's own tuple).
        same_prob (float): ``C2`` for composed tuples.
        given_labels (Tensor, optional): ``(B,)`` labels written by the
            sampler; checked against the speeds (a mismatch means the clip
            layout and the targets disagree).
        generator (torch.Generator, optional): RNG.

    Returns:
        tuple[Tensor, Tensor, Tensor]: tuple features ``(B, K, D)``, labels
        ``(B,)`` and the cross-video mask ``(B,)``.
    """
    if feats.shape[:2] != speeds.shape:
        raise ValueError(f'SpeedLoc features {tuple(feats.shape)} and speedloc_speeds '
                         f'{tuple(speeds.shape)} disagree on (B, K)')
    if given_labels is not None and not torch.equal(
            given_labels.to(speeds.device), speed_label(speeds)):
        raise ValueError('speedloc_label does not match speedloc_speeds '
                         f'({given_labels.tolist()} vs speeds '
                         f'{speeds.tolist()})')
    index, labels, cross = compose_speed_tuples(speeds, cross_prob,
                                                same_prob, generator)
    batch, k = speeds.shape
    return feats.reshape(batch * k, -1)[index], labels, cross
