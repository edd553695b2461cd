"""WGAN-GP gradient penalty (hand-computed) and OSGAN's one-stage gradients
(equal to the two-pass gradients)."""
import pytest
import torch
from torch import nn

from mmssl.models.losses.adversarial import (discriminator_loss,
                                             generator_loss, osgan_ratio,
                                             osgan_scale)
from mmssl.models.losses.gradient_penalty import gradient_penalty


def test_gradient_penalty_linear_discriminator():
    # D(x) = w.x has gradient w everywhere: GP = (|w| - 1)^2 = (5 - 1)^2
    disc = nn.Linear(2, 1, bias=False)
    with torch.no_grad():
        disc.weight.copy_(torch.tensor([[3.0, 4.0]]))
    gp = gradient_penalty(disc, torch.randn(4, 2), torch.randn(4, 2))
    assert gp.item() == pytest.approx(16.0)
    gp.backward()  # differentiable w.r.t. D: d/dw (|w|-1)^2 = 2(|w|-1)w/|w|
    assert disc.weight.grad[0].tolist() == pytest.approx(
        [2 * 4 * 3 / 5, 2 * 4 * 4 / 5])


def test_gradient_penalty_quadratic_with_condition():
    # D(x, c) = sum(c * x^2): grad = 2 c x at x = a real + (1 - a) fake
    def disc(x, c):
        return (c * x**2).sum(1)

    real = torch.tensor([[1.0, 0.0], [0.0, 2.0]])
    fake = torch.tensor([[0.0, 0.0], [0.0, 0.0]])
    cond = torch.tensor([[1.0, 1.0], [0.5, 0.5]])
    gp = gradient_penalty(disc, real, fake, cond,
                          alpha=torch.tensor([0.5, 1.0]))
    # sample 0: x = (0.5, 0), grad (1, 0), norm 1 -> 0
    # sample 1: x = (0, 2), grad (0, 2), norm 2 -> 1
    assert gp.item() == pytest.approx(0.5)


@pytest.mark.parametrize('loss_type', ['vanilla', 'wgan'])
def test_osgan_one_stage_equals_two_pass(loss_type):
    torch.manual_seed(0)
    gen, disc = nn.Linear(3, 4), nn.Sequential(
        nn.Linear(4, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1))
    z, real = torch.randn(6, 3), torch.randn(6, 4)
    weight = 0.75
    # two passes: D on detached fakes, G on its own loss
    fake = gen(z)
    d_loss = discriminator_loss(disc(real).squeeze(1),
                                disc(fake.detach()).squeeze(1), loss_type)
    d_grads = torch.autograd.grad(d_loss, list(disc.parameters()))
    g_loss = weight * generator_loss(disc(fake).squeeze(1), loss_type)
    g_grads = torch.autograd.grad(g_loss, list(gen.parameters()))
    # one stage
    fake = gen(z)
    fake_in, holder = osgan_scale(fake)
    s_fake = disc(fake_in).squeeze(1)
    holder['scale'] = weight * osgan_ratio(s_fake, loss_type)
    discriminator_loss(disc(real).squeeze(1), s_fake, loss_type).backward()
    for a, p in zip(d_grads, disc.parameters()):
        torch.testing.assert_close(p.grad, a)
    for a, p in zip(g_grads, gen.parameters()):
        torch.testing.assert_close(p.grad, a)


def test_discriminator_loss_values():
    s = torch.tensor([0.0])
    assert discriminator_loss(s, s).item() == pytest.approx(
        2 * torch.log(torch.tensor(2.0)).item())
    assert discriminator_loss(torch.tensor([2.0]), torch.tensor([1.0]),
                              'wgan').item() == pytest.approx(-1.0)
    with pytest.raises(ValueError, match='hinge'):
        generator_loss(s, 'hinge')
