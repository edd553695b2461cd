"""VideoMAE* on a CNN: masked cubes blanked at the input, conv decoder,
masked-only normalised-pixel MSE, shapes, a train step and the configs."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

import mmssl  # noqa: F401
from mmssl.datasets.transforms.masking import tube_mask
from mmssl.models.utils.video_patches import (fill_masked_cubes,
                                              token_mask_to_pixels)
from mmssl.registry import MODELS

P, Q = 8, 2  # patch size, tubelet size
GRID = (4, 4, 4)  # 8x32x32 clips
REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))
TINY = osp.join(REPO, 'configs/videomae/'
                'videomae-cnn_r3d-tiny_1xb8-8x32x32-mask0.9-40e_synthmotion.py')
PAPER = osp.join(
    REPO, 'configs/videomae/videomae-cnn_r2plus1d-vcop-18_8xb32-'
    '16x112x112-mask0.9-200e_k400-50k.py')


def build_model():
    init_default_scope('mmssl')
    torch.manual_seed(0)
    model = MODELS.build(Config.fromfile(TINY).model)
    model.init_weights()
    return model


def masks(batch, ratio=0.9, seed=0):
    return torch.from_numpy(
        tube_mask(GRID, ratio, batch, rng=np.random.default_rng(seed)))


def batch(num_videos=2, num_clips=1):
    gen = torch.Generator().manual_seed(0)
    inputs = [
        torch.randint(0, 255, (num_clips, 3, 8, 32, 32), generator=gen).float()
        for _ in range(num_videos)
    ]
    samples = []
    for mask in masks(num_videos * num_clips).view(num_videos, num_clips, -1):
        samples.append(ActionDataSample())
        samples[-1].set_field(mask, 'mask')
    return dict(inputs=inputs, data_samples=samples)


def test_fill_masked_cubes_blanks_exactly_the_masked_cubes():
    videos = torch.arange(1, 1 + 2 * 1 * 4 * 4 * 6).float().view(
        2, 1, 4, 4, 6)
    # grid (2, 2, 3) with tubelet 2, patch 2; clip 0 masks token
    # n = (t * 2 + h) * 3 + w = (1 * 2 + 0) * 3 + 2 = 8, clip 1 token 0
    mask = torch.zeros(2, 12, dtype=torch.bool)
    mask[0, 8] = True
    mask[1, 0] = True
    out = fill_masked_cubes(videos, mask, 2, 2, fill=-1.)
    expected = videos.clone()
    expected[0, :, 2:4, 0:2, 4:6] = -1.
    expected[1, :, 0:2, 0:2, 0:2] = -1.
    assert torch.equal(out, expected)
    pixels = token_mask_to_pixels(mask, (2, 2, 3), 2, 2)
    assert pixels.shape == (2, 1, 4, 4, 6) and int(pixels.sum()) == 16
    with pytest.raises(ValueError, match='token grid'):
        token_mask_to_pixels(mask[:, :11], (2, 2, 3), 2, 2)


def test_backbone_sees_masked_input_and_decoder_shapes():
    model = build_model()
    seen = []
    model.backbone.register_forward_hook(
        lambda mod, args, out: seen.append((args[0].clone(), out.shape)))
    clips = torch.randn(2, 3, 8, 32, 32)
    mask = masks(2)
    pred = model.masked_prediction(clips, mask)
    # 4 time slices x round(0.9 * 16) = 14 masked positions
    assert pred.shape == (2, 4 * 14, Q * P * P * 3)
    fed, feat_shape = seen[0]
    assert feat_shape == (2, 128, 4, 4, 4)  # the token grid, no resize
    pixels = token_mask_to_pixels(mask, GRID, P, Q).expand_as(clips)
    assert bool((fed[pixels] == 0).all())
    assert torch.equal(fed[~pixels], clips[~pixels])


def test_loss_is_masked_only_normalised_mse_by_hand():
    """loss = mean over masked cubes and their pixels of (pred - target)^2,
    target = the *unmasked* cube normalised per patch and channel."""
    model = build_model()
    data = model.data_preprocessor(batch(), training=True)
    clips = data['inputs'][:, 0]
    mask = masks(2)
    loss = model(**data, mode='loss')['loss_pixel']
    pred = model.masked_prediction(clips, mask).detach()

    total, count = 0.0, 0
    for b in range(2):
        j = 0
        for n in range(64):
            if not mask[b, n]:
                continue
            t, rest = divmod(n, 16)
            h, w = divmod(rest, 4)
            cube = clips[b, :, t * Q:(t + 1) * Q, h * P:(h + 1) * P,
                         w * P:(w + 1) * P].double()
            target = cube.permute(1, 2, 3, 0).reshape(-1, 3)  # (dt,dy,dx),c
            target = (target - target.mean(0)) / (target.std(0) + 1e-6)
            diff = pred[b, j].double().view(-1, 3) - target
            total += float((diff**2).sum())
            count += diff.numel()
            j += 1
    assert count == 2 * 56 * Q * P * P * 3
    assert loss.item() == pytest.approx(total / count, rel=1e-5)


def test_train_step_updates_backbone_and_decoder():
    model = build_model()
    wrapper = build_optim_wrapper(
        model,
        dict(type='OptimWrapper', optimizer=dict(type='AdamW', lr=1e-3)))
    before = {n: p.detach().clone() for n, p in model.named_parameters()}
    log = model.train_step(batch(), wrapper)
    assert set(log) == {'loss', 'loss_pixel'} and torch.isfinite(log['loss'])
    for prefix in ('backbone.conv1', 'backbone.layer4', 'neck.proj',
                   'neck.blocks', 'neck.pred'):
        changed = [
            not torch.equal(p, before[n])
            for n, p in model.named_parameters() if n.startswith(prefix)
        ]
        assert changed and any(changed), prefix


def test_tensor_mode_pools_unmasked_clips():
    model = build_model().eval()
    data = model.data_preprocessor(batch(num_clips=2), training=False)
    feats = model(data['inputs'], mode='tensor')
    assert feats.shape == (2, 2, 128)
    expected = model.backbone(data['inputs'][1, 1:2]).mean(dim=(2, 3, 4))
    assert torch.allclose(feats[1, 1], expected[0], atol=1e-5)


def test_errors_name_the_cause():
    cfg = Config.fromfile(TINY).model
    cfg.neck.out_channels = 100
    with pytest.raises(ValueError, match='out_channels'):
        MODELS.build(cfg)
    model = build_model()
    with pytest.raises(ValueError, match='input_size'):
        model.masked_prediction(torch.randn(1, 3, 8, 32, 32),
                                torch.zeros(1, 32, dtype=torch.bool))


def test_paper_config_grid_matches_r2plus1d_18_output():
    cfg = Config.fromfile(PAPER)
    assert cfg.model.backbone == dict(
        type='R2Plus1DVCOP', layer_sizes=(2, 2, 2, 2))
    mask_step = [t for t in cfg.train_pipeline
                 if t['type'] == 'TubeMaskGenerator'][0]
    assert tuple(mask_step['input_size']) == (8, 7, 7)
    assert mask_step['mask_ratio'] == 0.9
    assert cfg.sync_bn == 'torch'


@pytest.mark.parametrize('backbone', ['r2plus1d_18', 'shufflenet3d_2.0x'])
def test_other_zoo_backbones_via_resize(backbone):
    """Backbones whose output grid differs from the cube grid (stem pool,
    stride 32) work: the decoder resizes the map to the token grid."""
    init_default_scope('mmssl')
    zoo = Config.fromfile(
        osp.join(REPO, 'configs/_base_/models/backbones', backbone + '.py'))
    cfg = Config.fromfile(TINY).model
    cfg.backbone = zoo.backbone
    cfg.neck.in_channels = 512 if backbone == 'r2plus1d_18' else 1920
    cfg.neck.out_channels = 2 * 16 * 16 * 3
    cfg.head.patch_size = 16
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    clips = torch.randn(1, 3, 16, 64, 64)
    mask = torch.from_numpy(
        tube_mask((8, 4, 4), 0.75, 1, rng=np.random.default_rng(0)))
    sample = ActionDataSample()
    sample.set_field(mask[0], 'mask')
    losses = model.loss(clips[:, None], [sample])
    assert torch.isfinite(losses['loss_pixel'])
    assert model.masked_prediction(clips, mask).shape == (1, 8 * 12,
                                                          2 * 16 * 16 * 3)
