"""Collapse statistics (issue 9, protocol 6) on hand-computed cases."""
import math

import pytest
import torch

from mmssl.evaluation.functional import effective_rank, embedding_stats


def test_identical_rows_have_zero_std_and_rank_one():
    feats = torch.tensor([[3.0, 4.0, 0.0]]).repeat(5, 1)
    stats = embedding_stats(feats)
    assert stats['std_mean'] == pytest.approx(0.0, abs=1e-12)
    assert stats['std_min'] == pytest.approx(0.0, abs=1e-12)
    assert stats['effective_rank'] == pytest.approx(1.0)
    assert stats['std_reference'] == pytest.approx(1 / math.sqrt(3))


def test_orthonormal_rows_have_full_rank():
    q, _ = torch.linalg.qr(torch.randn(8, 8, generator=torch.Generator()
                                       .manual_seed(0)))
    assert embedding_stats(q)['effective_rank'] == pytest.approx(8.0)
    # scaling rows does not matter (embeddings are normalised first)
    scaled = q * torch.arange(1.0, 9.0)[:, None]
    assert embedding_stats(scaled)['effective_rank'] == pytest.approx(8.0)


def test_hand_computed_std_and_rank():
    # rows e1, e1, e2, e2 (after normalisation): each of the 2 dimensions
    # takes values {1, 1, 0, 0} -> population std 0.5; the third is 0.
    feats = torch.tensor([[2.0, 0, 0], [5.0, 0, 0], [0, 1.0, 0],
                          [0, 7.0, 0]])
    stats = embedding_stats(feats)
    assert stats['std_mean'] == pytest.approx((0.5 + 0.5 + 0) / 3)
    assert stats['std_min'] == 0.0
    # singular values sqrt(2), sqrt(2), 0 -> p = (1/2, 1/2) -> rank 2
    assert stats['effective_rank'] == pytest.approx(2.0)


def test_effective_rank_of_unequal_singular_values():
    # diag(3, 1): p = (3/4, 1/4); exp(H) by hand
    h = -(0.75 * math.log(0.75) + 0.25 * math.log(0.25))
    assert effective_rank(torch.diag(torch.tensor([3.0, 1.0]))) == \
        pytest.approx(math.exp(h))
    assert effective_rank(torch.zeros(3, 2)) == 0.0


def test_bad_input_is_named():
    with pytest.raises(ValueError, match='feats must be 2-D'):
        embedding_stats(torch.ones(4))
    with pytest.raises(ValueError, match='NaN'):
        embedding_stats(torch.tensor([[float('nan'), 1.0]]))
