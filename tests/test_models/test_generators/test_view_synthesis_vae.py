"""ViewSynthesisVAE: shapes, sampling, gradients and checkpoint loading."""
import pytest
import torch

from mmssl.models.generators import ViewSynthesisVAE
from mmssl.registry import MODELS


def tiny_vae(**kwargs):
    cfg = dict(base_channels=4, latent_channels=3)
    cfg.update(kwargs)
    return ViewSynthesisVAE(**cfg)


@pytest.mark.parametrize('shape', [(2, 3, 8, 32, 32), (1, 3, 5, 13, 17)])
def test_forward_and_synthesize_keep_the_clip_shape(shape):
    vae = tiny_vae()
    clips = torch.randn(shape)
    recon, mu, logvar = vae(clips)
    assert recon.shape == clips.shape
    assert mu.shape == logvar.shape
    assert mu.shape[:2] == (shape[0], 3)
    view = vae.synthesize(clips)
    assert view.shape == clips.shape and not view.requires_grad


def test_default_vae_latent_grid_at_paper_and_tiny_sizes():
    vae = ViewSynthesisVAE()
    for size, grid in [((16, 112, 112), (4, 14, 14)),
                       ((8, 32, 32), (2, 4, 4))]:
        feat, sizes = vae._encode(torch.zeros(1, 3, *size))
        assert tuple(feat.shape[2:]) == grid
        assert tuple(sizes[0]) == size
    assert vae.embed(torch.zeros(2, 3, 8, 32, 32)).shape == (2, 16)


def test_synthesize_samples_a_new_view_in_eval_mode():
    torch.manual_seed(0)
    vae = tiny_vae().eval()
    clips = torch.randn(2, 3, 4, 16, 16)
    assert not torch.allclose(vae.synthesize(clips), vae.synthesize(clips))
    # eval forward decodes the posterior mean: deterministic
    assert torch.equal(vae(clips)[0], vae(clips)[0])


def test_gradients_reach_encoder_through_the_sample():
    vae = tiny_vae()
    recon, _, _ = vae(torch.randn(2, 3, 4, 16, 16))
    recon.square().mean().backward()
    assert vae.encoder[0].conv.weight.grad.abs().sum() > 0


def test_bad_input_names_the_expected_shape():
    with pytest.raises(ValueError, match=r'\(N, 3, T, H, W\)'):
        tiny_vae()(torch.zeros(2, 1, 4, 8, 8))
    with pytest.raises(ValueError, match='same length'):
        ViewSynthesisVAE(strides=((1, 2, 2), ))


def test_pretrained_init_cfg_loads_generator_prefix(tmp_path):
    source = tiny_vae()
    state = {f'generator.{k}': v for k, v in source.state_dict().items()}
    state['flow_estimator.head.weight'] = torch.zeros(1)
    ckpt = tmp_path / 'view_synthesis.pth'
    torch.save(dict(state_dict=state), ckpt)
    loaded = MODELS.build(
        dict(type='ViewSynthesisVAE', base_channels=4, latent_channels=3,
             init_cfg=dict(type='Pretrained', checkpoint=str(ckpt),
                           prefix='generator.')))
    loaded.init_weights()
    for key, value in source.state_dict().items():
        assert torch.equal(loaded.state_dict()[key], value), key
