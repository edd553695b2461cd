"""CSVR modules: integration layer (shapes, M = 0 / M = 1 limits), pose
CGAN, video TGAN, R2D-10."""
import pytest
import torch

from mmssl.models.backbones import ResNet2D10
from mmssl.models.generators import (ConditionalVideoGenerator,
                                     DynamicFeatureNeck, PoseDiscriminator1D,
                                     PoseGenerator1D, VideoDiscriminator3D)
from mmssl.models.necks.csvr_integration import (INTEGRATION_MODES,
                                                 CSVRIntegration)


@pytest.mark.parametrize('mode', INTEGRATION_MODES)
@pytest.mark.parametrize('shape', [(4, 8), (4, 8, 2, 3, 3)])
def test_integration_shapes(mode, shape):
    layer = CSVRIntegration(8, mode=mode)
    f_s, f_d = torch.randn(shape), torch.randn(shape)
    out, mask = layer(f_s, f_d, return_mask=True)
    assert out.shape == f_s.shape
    assert (mask is not None) == (mode == 'full')
    if mode == 'fs_only':
        assert torch.equal(out, f_s)
    if mode == 'fd_only':
        assert torch.equal(out, f_d)


def _with_mask_bias(layer, bias):
    with torch.no_grad():
        layer.mask.weight.zero_()
        layer.mask.bias.fill_(bias)


def test_integration_mask_limits():
    torch.manual_seed(0)
    layer = CSVRIntegration(6)
    f_s, f_d = torch.randn(5, 6), torch.randn(5, 6)
    # M = 1: f_i = f_s
    _with_mask_bias(layer, 50.0)
    out, mask = layer(f_s, f_d, return_mask=True)
    assert torch.allclose(mask, torch.ones_like(mask))
    torch.testing.assert_close(out, f_s)
    # M = 0: f_i = D = gamma(f_d) * BN(f_s) + beta(f_d)
    _with_mask_bias(layer, -50.0)
    out = layer(f_s, f_d)
    s_bar = (f_s - f_s.mean(0)) / torch.sqrt(f_s.var(0, unbiased=False) +
                                             1e-5)
    gamma = f_d @ layer.gamma.weight[:, :, 0].t() + layer.gamma.bias
    beta = f_d @ layer.beta.weight[:, :, 0].t() + layer.beta.bias
    torch.testing.assert_close(out, gamma * s_bar + beta, rtol=1e-4,
                               atol=1e-5)
    # adain mode = the M = 0 limit of the same layer
    adain = CSVRIntegration(6, mode='adain')
    adain.load_state_dict(layer.state_dict(), strict=False)
    torch.testing.assert_close(adain(f_s, f_d), out, rtol=1e-4, atol=1e-5)


def test_integration_errors():
    with pytest.raises(ValueError, match='mode'):
        CSVRIntegration(4, mode='sum')
    with pytest.raises(ValueError, match='one shape'):
        CSVRIntegration(4)(torch.randn(2, 4), torch.randn(2, 5))


def test_pose_cgan_shapes():
    gen = PoseGenerator1D(num_joints=17, out_frames=6, noise_dim=4,
                          encoder_channels=(8, ) * 6, decoder_channels=(8, ))
    pose_in = torch.rand(3, 4, 17, 2)
    p_gen, feats = gen(pose_in)
    assert p_gen.shape == (3, 6, 17, 2)
    assert len(feats) == 6 and feats[-1].shape == (3, 8, 1)
    disc = PoseDiscriminator1D(num_joints=17, channels=(8, 16))
    assert disc(p_gen, pose_in).shape == (3, )
    f_d = DynamicFeatureNeck(8, out_channels=5, hidden_channels=8)(feats[-1])
    assert f_d.shape == (3, 5)
    with pytest.raises(ValueError, match=r'\(B, T, J, 2\)'):
        gen(torch.rand(3, 4, 34))


def test_video_tgan_shapes():
    gen = ConditionalVideoGenerator(
        cond_channels=5, out_shape=(4, 16, 16), noise_dim=3,
        channels=(8, 8, 4), seed_shape=(2, 4, 4))
    video = gen(torch.randn(2, 5))
    assert video.shape == (2, 3, 4, 16, 16)
    odd = ConditionalVideoGenerator(
        cond_channels=5, out_shape=(3, 14, 14), noise_dim=3,
        channels=(8, 4), seed_shape=(2, 4, 4))
    assert odd(torch.randn(2, 5)).shape == (2, 3, 3, 14, 14)
    disc = VideoDiscriminator3D(channels=(4, 8), strides=((1, 2, 2), 2))
    assert disc(video).shape == (2, )


def test_resnet2d_10():
    net = ResNet2D10()
    assert sum(p.numel() for p in net.parameters()) == 4905792
    assert net(torch.randn(2, 3, 32, 32)).shape == (2, 512, 1, 1)
    with pytest.raises(ValueError, match='pretrained'):
        ResNet2D10(pretrained='x.pth')
