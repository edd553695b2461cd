"""View-synthesis losses (segment-rate-order paper, Eq. 13-16) against
hand-computed values on tiny tensors."""
import math

import pytest
import torch

from mmssl.models.losses import (charbonnier, gaussian_kl_divergence,
                                 info_max_loss, info_min_loss,
                                 photometric_loss)

EPS = 1e-3


def test_charbonnier_of_known_residuals():
    out = charbonnier(torch.tensor([0., 3., -4.]))
    expected = torch.tensor([EPS, math.sqrt(9 + EPS**2),
                             math.sqrt(16 + EPS**2)])
    assert torch.allclose(out, expected)


def test_photometric_loss_zero_flow_on_static_clip_is_eps():
    clip = torch.randn(2, 3, 1, 4, 5).expand(2, 3, 4, 4, 5)
    loss = photometric_loss(clip, torch.zeros(2, 2, 3, 4, 5))
    assert torch.allclose(loss, torch.tensor(EPS))


def test_photometric_loss_of_a_ramp_moved_by_one_pixel():
    # frame 1 = [0, 1, 2, 3], frame 2 = [1, 2, 3, 4]; flow u = -1 reads
    # frame 2 at x - 1: exact for x >= 1, border value 1 at x = 0
    clip = torch.stack([torch.arange(4.), torch.arange(4.) + 1]).view(
        1, 1, 2, 1, 4)
    flow = torch.zeros(1, 2, 1, 1, 4)
    flow[:, 0] = -1.
    expected = (math.sqrt(1 + EPS**2) + 3 * EPS) / 4
    assert photometric_loss(clip, flow).item() == pytest.approx(expected)
    # zero flow: residual -1 at every pixel
    assert photometric_loss(clip, torch.zeros_like(flow)).item() == \
        pytest.approx(math.sqrt(1 + EPS**2))


def test_kl_divergence_of_known_mu_logvar():
    mu = torch.tensor([1., 0.])
    logvar = torch.tensor([0., math.log(2.)])
    expected = (0.5 * (1 + 1 - 0 - 1) + 0.5 * (2 - math.log(2.) - 1)) / 2
    assert gaussian_kl_divergence(mu, logvar).item() == pytest.approx(
        expected)
    assert gaussian_kl_divergence(torch.zeros(3), torch.zeros(3)) == 0
    with pytest.raises(ValueError, match='same shape'):
        gaussian_kl_divergence(torch.zeros(2), torch.zeros(3))


def test_info_max_detaches_the_real_flow():
    real = torch.zeros(1, 2, 1, 1, 2, requires_grad=True)
    view = torch.full((1, 2, 1, 1, 2), 0.5, requires_grad=True)
    loss = info_max_loss(real, view)
    assert loss.item() == pytest.approx(math.sqrt(0.25 + EPS**2))
    loss.backward()
    assert real.grad is None
    assert view.grad.abs().sum() > 0


def test_info_min_is_mean_cosine_with_stop_gradient_on_x():
    real = torch.tensor([[1., 0.], [2., 0.]], requires_grad=True)
    view = torch.tensor([[0., 1.], [1., 1.]], requires_grad=True)
    loss = info_min_loss(real, view)
    assert loss.item() == pytest.approx((0 + 1 / math.sqrt(2)) / 2)
    loss.backward()
    assert real.grad is None
    # minimising moves the view away from x: -grad has a negative
    # component along x for the second (similar) view
    assert view.grad[1, 0] > 0
