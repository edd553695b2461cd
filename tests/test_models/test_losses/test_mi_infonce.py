"""MIInfoNCELoss against hand-computed CSVR Eq. 2 (several positives per
clip), its negative sampling and the Table IV variants."""
import math

import pytest
import torch
import torch.nn.functional as F

from mmssl.models.losses import MIInfoNCELoss
from mmssl.models.losses.mi_infonce import (sample_negative_mask,
                                            sample_one_positive)


def _unit(*xy):
    return [x / math.hypot(*xy) for x in xy]


def test_eq2_hand_computed_several_positives():
    # 2 clips; clip 0 owns I-frames 0, 1 (two positives), clip 1 owns 2.
    video = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    frames = torch.tensor([[1.0, 0.0], [1.0, 1.0], [0.0, 2.0]])
    owner = torch.tensor([0, 0, 1])
    tau = 0.5
    loss = MIInfoNCELoss(temperature=tau, negatives_per_video=None)(
        video, frames, owner)
    c = 1 / math.sqrt(2)  # cos 45 deg
    # clip 0: positives cos 1 and c, negative cos 0 (frame 2)
    pos0 = math.exp(1 / tau) + math.exp(c / tau)
    l0 = -math.log(pos0 / (pos0 + math.exp(0 / tau)))
    # clip 1: positive cos 1, negatives cos 0 (frame 0) and c (frame 1)
    pos1 = math.exp(1 / tau)
    l1 = -math.log(pos1 / (pos1 + math.exp(0) + math.exp(c / tau)))
    assert loss.item() == pytest.approx((l0 + l1) / 2, rel=1e-6)


def test_three_negatives_per_video_is_all_when_videos_have_three():
    torch.manual_seed(0)
    video, frames = torch.randn(3, 8), torch.randn(9, 8)
    owner = torch.arange(3).repeat_interleave(3)
    full = MIInfoNCELoss(negatives_per_video=None)(video, frames, owner)
    three = MIInfoNCELoss(negatives_per_video=3)(video, frames, owner)
    assert three.item() == pytest.approx(full.item(), rel=1e-6)


def test_negative_mask_counts():
    owner = torch.tensor([0] * 5 + [1] * 2 + [2] * 4)
    mask = sample_negative_mask(owner, 3, 3, torch.Generator().manual_seed(1))
    for i in range(3):
        for k in range(3):
            n = int(mask[i, owner == k].sum())
            expect = 0 if k == i else min(3, int((owner == k).sum()))
            assert n == expect, (i, k)
    # every clip draws its own frames (not one shared set)
    draws = {tuple(sample_negative_mask(owner, 3, 3)[1, :5].tolist())
             for _ in range(20)}
    assert len(draws) > 1


def test_infonce_variant_uses_one_positive():
    torch.manual_seed(0)
    video, frames = torch.randn(2, 4), torch.randn(5, 4)
    owner = torch.tensor([0, 0, 0, 1, 1])
    gen = torch.Generator().manual_seed(3)
    pos = sample_one_positive(owner, 2, torch.Generator().manual_seed(3))
    assert pos.sum(1).tolist() == [1, 1]
    loss = MIInfoNCELoss(temperature=0.2, negatives_per_video=None,
                         mode='infonce')(video, frames, owner, gen)
    sim = F.normalize(video, dim=1) @ F.normalize(frames, dim=1).t() / 0.2
    expect = 0.0
    for i in range(2):
        p = sim[i][pos[i]]
        n = sim[i][owner != i]
        expect += -(p - torch.logsumexp(torch.cat([p, n]), 0)).item()
    assert loss.item() == pytest.approx(expect / 2, rel=1e-5)


def test_l2_variant():
    video = torch.tensor([[2.0, 0.0]])
    frames = torch.tensor([[0.0, 3.0]])
    loss = MIInfoNCELoss(mode='l2')(video, frames, torch.tensor([0]))
    assert loss.item() == pytest.approx(2.0)  # |(1,0)-(0,1)|^2


def test_clip_without_iframe_is_a_clear_error():
    with pytest.raises(ValueError, match=r'clips \[1\] have no I-frame'):
        MIInfoNCELoss()(torch.randn(2, 4), torch.randn(2, 4),
                        torch.tensor([0, 0]))
    with pytest.raises(ValueError, match='mode'):
        MIInfoNCELoss(mode='nce')
