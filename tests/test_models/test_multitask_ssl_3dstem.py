"""The 3D-stem option of CNNTemporalTransformer (TemporalConvStem) and the
multi-task SSL method on it (docs/methods/multitask_ssl.md, "3D stem")."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope
from multitask_fixtures import multitask_batch
from probe_fixtures import REPO_ROOT

from mmssl.models.utils.segment_order import reverse_time, shuffle_segments
from mmssl.models.utils.video_patches import fill_masked_cubes
from mmssl.registry import MODELS
from mmssl.utils import register_all_modules

CONFIG = ('configs/multitask_ssl/multitask-ssl_cnn-tt-tiny-3dstem_'
          '1xb16-8x32x32-mask0.45-40e_synthmotion.py')
TINY = dict(embed_dims=64, depth=2, num_heads=4, mlp_ratio=2., dropout=0.)
# state_dict keys of the tiny 2D encoder before the stem option existed
DEFAULT_KEYS = [
    f'cnn.layers.{i}.{k}' for i in range(3)
    for k in ('conv.weight', 'bn.weight', 'bn.bias', 'bn.running_mean',
              'bn.running_var', 'bn.num_batches_tracked')
] + [
    f'transformer.layers.{i}.{k}' for i in range(2)
    for k in ('self_attn.in_proj_weight', 'self_attn.in_proj_bias',
              'self_attn.out_proj.weight', 'self_attn.out_proj.bias',
              'linear1.weight', 'linear1.bias', 'linear2.weight',
              'linear2.bias', 'norm1.weight', 'norm1.bias', 'norm2.weight',
              'norm2.bias')
] + ['norm.weight', 'norm.bias']


def backbone(kernel=3, **kwargs):
    register_all_modules(init_default_scope=False)
    cfg = dict(type='CNNTemporalTransformer',
               cnn=dict(type='FrameConvStem'), **TINY)
    if kernel:
        cfg.update(
            stem=dict(type='TemporalConvStem', out_channels=16,
                      temporal_kernel=kernel),
            cnn=dict(type='FrameConvStem', channels=(32, 64)))
    cfg.update(kwargs)
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    model.init_weights()
    return model


@pytest.mark.parametrize('frames', [4, 8])
@pytest.mark.parametrize('kernel', [3, 5])
def test_output_is_one_embedding_per_frame(frames, kernel):
    model = backbone(kernel)
    clips = torch.randn(2, 3, frames, 32, 32)
    stem_out = model.stem(clips)
    assert stem_out.shape == (2, 16, frames, 16, 16)  # T kept, H / 2
    enc = model.encode(clips)
    assert enc['maps'].shape == (2 * frames, 64, 4, 4)  # 2D default's maps
    assert enc['frames'].shape == enc['context'].shape == (2, frames, 64)
    assert model(clips).shape == (2, 64, frames, 1, 1)
    assert model.temporal_receptive_field == kernel
    assert not model.frame_independent


def test_stem_options_and_errors():
    register_all_modules(init_default_scope=False)
    pooled = MODELS.build(dict(type='TemporalConvStem', out_channels=8,
                               temporal_kernel=5, spatial_kernel=7,
                               with_pool=True))
    assert pooled.stride == 4
    assert pooled(torch.randn(1, 3, 6, 32, 32)).shape == (1, 8, 6, 8, 8)
    with pytest.raises(ValueError, match='odd'):
        MODELS.build(dict(type='TemporalConvStem', temporal_kernel=2))
    with pytest.raises(ValueError, match='in_channels=3'):
        backbone(cnn=dict(type='FrameConvStem', in_channels=3))
    # temporal kernel 1: a per-frame conv, frame-independent again
    assert backbone(1).frame_independent


def test_gradient_reaches_the_stem():
    model = backbone().train()
    model(torch.randn(2, 3, 4, 32, 32)).square().mean().backward()
    for param in model.stem.parameters():
        assert param.grad is not None and param.grad.abs().sum() > 0


def test_default_is_the_2d_encoder_unchanged():
    model = backbone(0)
    assert model.stem is None and model.frame_independent
    assert model.temporal_receptive_field == 1
    assert list(model.state_dict()) == DEFAULT_KEYS
    explicit = backbone(0, stem=None).state_dict()
    assert all(torch.equal(v, explicit[k])
               for k, v in model.state_dict().items())
    assert model.stage_names[0] == ('cnn', )
    frozen = backbone(frozen_stages=0).train()
    assert not frozen.stem.training and not any(
        p.requires_grad for p in frozen.stem.parameters())


@pytest.mark.parametrize('kernel', [0, 3, 5])
def test_a_masked_frame_sees_its_neighbours_through_the_stem(kernel):
    """Whole-frame masking happens on the input; the stem's temporal
    receptive field decides which input frames reach a frame's map."""
    model = backbone(kernel).eval()
    clips = torch.randn(1, 3, 8, 32, 32)
    mask = torch.zeros(1, 8, 4, 4, dtype=torch.bool)
    mask[:, 3] = True  # frame 3 masked (patch 8)
    masked = fill_masked_cubes(clips, mask.flatten(1), 8, 1, 0.)
    assert (masked[:, :, 3] == 0).all()
    moved = masked.clone()
    moved[:, :, 5] += 1.  # change frame 5 only
    changed = (model.frame_feature_maps(masked) -
               model.frame_feature_maps(moved)).flatten(1).abs().amax(1)
    reach = max(kernel, 1) // 2
    expected = [abs(t - 5) <= reach for t in range(8)]
    assert (changed > 1e-6).tolist() == expected
    # frame 3's map (masked) depends on frame 5 only when the stem's
    # temporal receptive field spans two frames either side (kernel 5)
    assert bool(changed[3] > 1e-6) == (kernel == 5)


def test_with_a_stem_permuting_embeddings_is_not_permuting_frames():
    """Why ``frame_independent`` exists: MultiTaskSSL's order / direction
    tasks permute frame embeddings; with a 3D stem that is no longer the
    same as permuting the input (docs/methods/multitask_ssl.md)."""
    clips = torch.randn(2, 3, 8, 32, 32)
    labels = torch.tensor([7, 23])
    gaps = {}
    for kernel in (0, 3):
        model = backbone(kernel).eval()
        frames = model.encode(clips)['frames']
        via_embeddings = model.temporal(shuffle_segments(frames, labels, 4))
        shuffled = shuffle_segments(clips.transpose(1, 2), labels,
                                    4).transpose(1, 2)
        direct = model(shuffled)[..., 0, 0].transpose(1, 2)
        gaps[kernel] = float((via_embeddings - direct).abs().max().detach())
    assert gaps[0] < 1e-5 < 1e-2 < gaps[3], gaps


def test_tiny_3dstem_config_train_step():
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(osp.join(REPO_ROOT, CONFIG))
    init_default_scope('mmssl')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    assert type(model.backbone.stem).__name__ == 'TemporalConvStem'
    assert model.backbone.temporal_receptive_field == 3
    before = {k: v.clone() for k, v in model.backbone.state_dict().items()}
    optim = OptimWrapper(torch.optim.AdamW(model.parameters(), lr=1e-3))
    inputs, samples = multitask_batch()
    model.train()
    data = dict(inputs=list(inputs * 50 + 128), data_samples=samples)
    log = model.train_step(data, optim)  # preprocessor: normalise, stack
    assert {'loss', 'loss_contrast', 'loss_pixel', 'loss_order',
            'loss_direction'} <= set(log)
    assert all(torch.isfinite(v).all() for v in log.values())
    after = model.backbone.state_dict()
    assert not torch.equal(before['stem.conv.conv.weight'],
                           after['stem.conv.conv.weight'])
    assert not torch.equal(before['stem.conv.bn.running_mean'],
                           after['stem.conv.bn.running_mean'])


def test_method_permutes_input_frames_when_the_encoder_mixes_frames():
    """With a 3D stem, MultiTaskSSL's order/direction context is the
    encoding of the permuted clip (no order leak through the stem); without
    one it is the cheaper permutation of the embeddings, which is equal."""
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(osp.join(REPO_ROOT, CONFIG))
    init_default_scope('mmssl')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model).eval()
    clips = torch.randn(2, 3, 8, 32, 32)
    labels = torch.tensor([7, 23])
    reverse = torch.tensor([True, False])

    def shuffle(seq):
        return shuffle_segments(seq, labels, 4)

    def flip(seq):
        return reverse_time(seq, reverse)

    with torch.no_grad():
        for permute in (shuffle, flip):
            frames = model.backbone.encode(clips)['frames']
            got = model._permuted_context(clips, frames, permute)
            clip_perm = permute(clips.transpose(1, 2)).transpose(1, 2)
            want = model.backbone.encode(clip_perm)['context']
            assert torch.allclose(got, want, atol=1e-6)
            leaky = model.backbone.temporal(permute(frames))
            assert (leaky - want).abs().max() > 1e-3
