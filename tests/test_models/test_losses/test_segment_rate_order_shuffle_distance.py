"""Shuffle similarity (issue 11, paper III-F, Algorithm 1) and the InfoNCE
loss built on it."""
import math

import pytest
import torch
import torch.nn.functional as F

from mmssl.models.losses import (QueueInfoNCELoss, ShuffleInfoNCELoss,
                                 paired_shuffle_distance, shuffle_distance)


def brute_force(x, y, k):
    """Algorithm 1 line by line, one pair at a time."""
    out = torch.zeros(len(x), len(y), dtype=torch.float64)
    for n, a in enumerate(x.double()):
        for m, b in enumerate(y.double()):
            pa, pb = a.view(k, -1), b.view(k, -1)
            dist = [[float((pa[i] - pb[j]).norm()) for j in range(k)]
                    for i in range(k)]
            rows, cols, total = set(), set(), 0.0
            while len(rows) < k:
                best = min((dist[i][j], i, j) for i in range(k)
                           for j in range(k)
                           if i not in rows and j not in cols)
                total += best[0]
                rows.add(best[1])
                cols.add(best[2])
            out[n, m] = total
    return out


@pytest.mark.parametrize('k', [1, 2, 3, 5])
def test_matches_brute_force(k):
    gen = torch.Generator().manual_seed(k)
    x = torch.randn(4, 6 * k, generator=gen)
    y = torch.randn(7, 6 * k, generator=gen)
    expected = brute_force(x, y, k).float()
    torch.testing.assert_close(shuffle_distance(x, y, k), expected,
                               rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(
        paired_shuffle_distance(x, y[:4], k), expected.diagonal(),
        rtol=1e-4, atol=1e-4)


def test_hand_computed_values():
    """Scalar parts (d = 1), so D[i, j] = |x_i - y_j|."""
    # D = [[3.5, 1], [0.5, 2]]: 0.5 (row 1, col 0), then D[0, 1] = 1
    x, y = torch.tensor([[0.0, 3.0]]), torch.tensor([[3.5, 1.0]])
    assert shuffle_distance(x, y, 2).item() == pytest.approx(1.5)
    # D = [[1, 2], [2, 5]]: greedy 1 + 5 = 6, although 2 + 2 = 4 exists
    # (Algorithm 1 is greedy, not the optimal assignment)
    x, y = torch.tensor([[0.0, 3.0]]), torch.tensor([[1.0, -2.0]])
    assert shuffle_distance(x, y, 2).item() == pytest.approx(6.0)
    # D = [[1, 100], [1, 98]]: the tie goes to the first entry in row-major
    # order, (0, 0), then 98
    x, y = torch.tensor([[0.0, 2.0]]), torch.tensor([[1.0, 100.0]])
    assert shuffle_distance(x, y, 2).item() == pytest.approx(99.0)


@pytest.mark.parametrize('k', [2, 3, 4])
def test_invariant_to_permuting_the_segments_of_one_vector(k):
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(5, 4 * k, generator=gen)
    y = torch.randn(6, 4 * k, generator=gen)
    ref = shuffle_distance(x, y, k)
    for perm in (torch.randperm(k, generator=gen) for _ in range(3)):
        x_perm = x.view(5, k, 4)[:, perm].reshape(5, -1)
        y_perm = y.view(6, k, 4)[:, perm].reshape(6, -1)
        torch.testing.assert_close(shuffle_distance(x_perm, y, k), ref)
        torch.testing.assert_close(shuffle_distance(x, y_perm, k), ref)
    # a vector and its segment-permuted copy are at distance 0, while the
    # plain Euclidean distance between them is not 0
    x_rolled = x.view(5, k, 4).roll(1, dims=1).reshape(5, -1)
    assert paired_shuffle_distance(x, x_rolled, k).abs().max() < 1e-5
    assert (x - x_rolled).norm(dim=1).min() > 0.1


def test_bad_feature_size_is_a_clear_error():
    with pytest.raises(ValueError, match='D=128 .* divisible .* k=3'):
        shuffle_distance(torch.randn(2, 128), torch.randn(3, 128), 3)
    with pytest.raises(ValueError, match='must be \\(N, D\\)'):
        shuffle_distance(torch.randn(2, 3, 4), torch.randn(3, 12), 3)
    with pytest.raises(ValueError, match='differ in feature size'):
        shuffle_distance(torch.randn(2, 12), torch.randn(3, 6), 3)
    with pytest.raises(ValueError, match='divisible'):
        ShuffleInfoNCELoss(num_parts=3)(torch.randn(2, 8), torch.randn(2, 8))


def test_gradient_finite_for_identical_parts():
    x = torch.randn(3, 12, requires_grad=True)
    d = shuffle_distance(x, x.detach().clone(), 3)
    d.sum().backward()
    assert torch.isfinite(x.grad).all()


def test_squared_mode_is_aligned_cosine():
    """On unit vectors, the squared variant is 2 - 2 cos after aligning the
    key's parts; with k = 1 the loss equals MoCo's cosine InfoNCE."""
    gen = torch.Generator().manual_seed(1)
    q = F.normalize(torch.randn(4, 12, generator=gen), dim=1)
    key = F.normalize(torch.randn(4, 12, generator=gen), dim=1)
    queue = F.normalize(torch.randn(9, 12, generator=gen), dim=1)
    sq = paired_shuffle_distance(q, key, 1, squared=True)
    torch.testing.assert_close(sq, 2 - 2 * (q * key).sum(1))
    cosine = QueueInfoNCELoss(temperature=0.1)(q, key, queue=queue)
    aligned = ShuffleInfoNCELoss(
        num_parts=1, similarity='aligned_cosine', temperature=0.1)(
            q, key, queue=queue)
    torch.testing.assert_close(aligned, cosine)


def test_shuffle_info_nce_hand_computed():
    """-dis / tau logits, positive in column 0."""
    q = torch.tensor([[1.0, 0.0, 0.0, 0.0]])
    key = torch.tensor([[0.0, 0.0, 1.0, 0.0]])  # the parts swapped: dis 0
    queue = torch.tensor([[0.0, 1.0, 0.0, 0.0]])
    loss_fn = ShuffleInfoNCELoss(num_parts=2, temperature=0.5)
    logits = loss_fn.logits(q, key, queue=queue)
    # queue: parts (0, 1), (0, 0) vs q's (1, 0), (0, 0): D = [[sqrt2, 1],
    # [1, 0]] -> 0 + sqrt2
    torch.testing.assert_close(logits,
                               torch.tensor([[0.0, -math.sqrt(2) / 0.5]]))
    expected = math.log(1 + math.exp(-math.sqrt(2) / 0.5))
    assert loss_fn(q, key, queue=queue).item() == pytest.approx(expected)
    with pytest.raises(ValueError, match='similarity'):
        ShuffleInfoNCELoss(num_parts=2, similarity='cos')
