"""Linear / minibatch CKA (mmssl.evaluation.functional.cka) against its
invariants and brute-force float64 references, and the forward hooks."""
import itertools

import numpy as np
import pytest
import torch
from torch import nn

from mmssl.evaluation.functional.cka import (MinibatchCKA, gram_linear,
                                             hsic_unbiased, linear_cka)
from mmssl.evaluation.layer_activations import (LayerActivations,
                                                default_layer_names)


def brute_linear_cka(x, y):
    """Kornblith et al. Eq. 4 with the explicit centring matrix H."""
    x = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
    y = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
    n = len(x)
    h = np.eye(n) - np.ones((n, n)) / n
    k, l_ = x @ x.T, y @ y.T

    def hsic(a, b):
        return np.trace(a @ h @ b @ h) / (n - 1)**2

    return hsic(k, l_) / np.sqrt(hsic(k, k) * hsic(l_, l_))


def brute_hsic_u(k, l_):
    """Song et al. 2012's U-statistic over ordered distinct quadruples."""
    n = len(k)
    total = 0.0
    for i, j, q, r in itertools.permutations(range(n), 4):
        total += k[i, j] * l_[i, j] + k[i, j] * l_[q, r] \
            - 2 * k[i, j] * l_[i, q]
    return total / (n * (n - 1) * (n - 2) * (n - 3))


@pytest.fixture
def reps():
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(20, 6, 2, generator=gen)
    y = x.flatten(1) @ torch.randn(12, 5, generator=gen) \
        + 0.5 * torch.randn(20, 5, generator=gen)
    return x, y


def test_self_similarity_is_one(reps):
    x, _ = reps
    assert linear_cka(x, x) == pytest.approx(1.0, abs=1e-12)


def test_orthogonal_and_isotropic_scaling_invariance(reps):
    x, y = reps
    flat, y = x.flatten(1).double(), y.double()
    gen = torch.Generator().manual_seed(2)
    q, _ = torch.linalg.qr(
        torch.randn(12, 12, dtype=torch.float64, generator=gen))
    base = linear_cka(flat, y)
    assert linear_cka(flat @ q, y) == pytest.approx(base, abs=1e-12)
    assert linear_cka(3.7 * flat, 0.2 * y) == pytest.approx(base, abs=1e-12)
    # not invariant to an arbitrary (anisotropic) linear map
    scale = torch.diag(torch.linspace(0.1, 10, 12, dtype=torch.float64))
    assert abs(linear_cka(flat @ scale, y) - base) > 1e-3


def test_symmetry_and_brute_force_agreement(reps):
    x, y = reps
    assert linear_cka(x, y) == pytest.approx(linear_cka(y, x), abs=1e-12)
    assert linear_cka(x, y) == pytest.approx(
        brute_linear_cka(x.numpy(), y.numpy()), abs=1e-10)


def test_unbiased_hsic_matches_the_u_statistic():
    gen = torch.Generator().manual_seed(1)
    x, y = torch.randn(7, 3, generator=gen), torch.randn(7, 4, generator=gen)
    k, l_ = gram_linear(x), gram_linear(y)
    assert float(hsic_unbiased(k, l_)) == pytest.approx(
        brute_hsic_u(k.numpy(), l_.numpy()), rel=1e-9, abs=1e-12)
    with pytest.raises(ValueError, match='n >= 4'):
        hsic_unbiased(k[:3, :3], l_[:3, :3])


def test_minibatch_cka_matrix(reps):
    x, y = reps
    cka = MinibatchCKA(['x', 'y'])
    for rows in torch.arange(20).split(5):
        cka.update({'x': x[rows], 'y': y[rows]})
    matrix = cka.compute()
    assert matrix.shape == (2, 2)
    assert torch.allclose(torch.diagonal(matrix), torch.ones(2,
                                                             dtype=matrix.dtype))
    assert matrix[0, 1] == pytest.approx(float(matrix[1, 0]), abs=1e-12)
    # one big minibatch: the ratio of single unbiased HSIC terms
    one = MinibatchCKA(['x'], ['y'])
    one.update({'x': x}, {'y': y})
    kx, ky = gram_linear(x), gram_linear(y)
    expected = hsic_unbiased(kx, ky) / torch.sqrt(
        hsic_unbiased(kx, kx) * hsic_unbiased(ky, ky))
    assert float(one.compute()[0, 0]) == pytest.approx(float(expected))


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match='different numbers'):
        linear_cka(torch.randn(4, 3), torch.randn(5, 3))
    with pytest.raises(ValueError, match='constant'):
        linear_cka(torch.ones(4, 3), torch.randn(4, 3))
    with pytest.raises(RuntimeError, match='before any update'):
        MinibatchCKA(['a']).compute()


def test_hooks_capture_named_layers():
    model = nn.Module()
    model.backbone = nn.Sequential(nn.Conv3d(1, 2, 1), nn.ReLU(),
                                   nn.Conv3d(2, 3, 1))
    names = default_layer_names(model)
    assert names == ['backbone.0', 'backbone.2']
    with LayerActivations(model, names) as hooks:
        model.backbone(torch.randn(4, 1, 2, 3, 3))
        acts = hooks.pop()
    assert acts['backbone.2'].shape == (4, 3 * 2 * 3 * 3)
    with LayerActivations(model, names, pool='avg') as hooks:
        model.backbone(torch.randn(4, 1, 2, 3, 3))
        assert hooks.pop()['backbone.0'].shape == (4, 2)
    with pytest.raises(KeyError, match='no modules'):
        LayerActivations(model, ['backbone.9'])
