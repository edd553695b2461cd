"""VideoMAE: patches, normalised-pixel MSE, visible-only encoder, modes,
gradients and loading the encoder into MMAction2's Recognizer3D."""
import copy

import numpy as np
import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint, save_checkpoint

import mmssl  # noqa: F401
from mmssl.datasets.transforms.masking import tube_mask
from mmssl.models.utils import (normalize_patches, patchify_video,
                                unpatchify_video, vit_visible_tokens)
from mmssl.registry import MODELS

P, Q = 8, 2  # patch size, tubelet size
GRID = (4, 4, 4)  # 8x32x32 clips
TINY_VIT = dict(
    type='VisionTransformer',
    img_size=32,
    patch_size=P,
    embed_dims=24,
    depth=2,
    num_heads=2,
    num_frames=8,
    tubelet_size=Q)


def build_videomae(norm_pix=True):
    init_default_scope('mmssl')
    torch.manual_seed(0)
    model = MODELS.build(
        dict(
            type='VideoMAE',
            backbone=copy.deepcopy(TINY_VIT),
            neck=dict(
                type='VideoMAEDecoder',
                in_channels=24,
                num_patches=64,
                out_channels=Q * P * P * 3,
                embed_dims=16,
                depth=1,
                num_heads=2),
            head=dict(
                type='VideoMAEPixelHead',
                patch_size=P,
                tubelet_size=Q,
                norm_pix=norm_pix)))
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
    for i, mask in enumerate(masks(num_videos * num_clips).view(
            num_videos, num_clips, -1)):
        samples.append(ActionDataSample().set_gt_labels(i))
        samples[-1].set_field(mask, 'mask')
    return dict(inputs=inputs, data_samples=samples)


# ---------------------------------------------------------------- patches


def test_patchify_matches_explicit_indexing_and_unpatchify_inverts():
    videos = torch.randn(2, 3, 8, 16, 24)
    patches = patchify_video(videos, 8, 2)
    assert patches.shape == (2, 4 * 2 * 3, 2 * 8 * 8 * 3)
    b, t, h, w, dt, dy, dx, c = 1, 2, 1, 2, 1, 5, 3, 2
    n = (t * 2 + h) * 3 + w
    k = ((dt * 8 + dy) * 8 + dx) * 3 + c
    assert patches[b, n, k] == videos[b, c, t * 2 + dt, h * 8 + dy,
                                      w * 8 + dx]
    assert torch.equal(unpatchify_video(patches, (4, 2, 3), 8, 2), videos)
    with pytest.raises(ValueError, match='patch_size'):
        patchify_video(torch.randn(1, 3, 8, 20, 16), 8, 2)
    with pytest.raises(ValueError, match='tubelet_size'):
        patchify_video(torch.randn(1, 3, 7, 16, 16), 8, 2)


def reference_normalize(patch, channels, per_channel, eps=1e-6):
    """Explicit loops over channels and pixels of one flattened patch."""
    out = patch.clone().double()
    values = patch.double().view(-1, channels)  # (pixels, C)
    if per_channel:
        for c in range(channels):
            col = [float(v) for v in values[:, c]]
            mean = sum(col) / len(col)
            var = sum((v - mean)**2 for v in col) / (len(col) - 1)
            for i in range(len(col)):
                out[i * channels + c] = (col[i] - mean) / (var**0.5 + eps)
    else:
        flat = [float(v) for v in patch.double()]
        mean = sum(flat) / len(flat)
        var = sum((v - mean)**2 for v in flat) / (len(flat) - 1)
        for i, v in enumerate(flat):
            out[i] = (v - mean) / (var + eps)**0.5
    return out


@pytest.mark.parametrize('per_channel', [True, False])
def test_normalize_patches_matches_reference(per_channel):
    patches = torch.randn(2, 3, 2 * 2 * 2 * 3) * 4 + 1
    out = normalize_patches(patches, 3, per_channel)
    for b in range(2):
        for n in range(3):
            ref = reference_normalize(patches[b, n], 3, per_channel)
            assert torch.allclose(out[b, n].double(), ref, atol=1e-5)


# ------------------------------------------------------------------ loss


@pytest.mark.parametrize('norm_pix', [True, False])
def test_head_loss_is_mse_over_masked_patches_only(norm_pix):
    """loss = 1 / (|Omega| P) sum_b sum_{n in Omega_b} ||pred - target||^2"""
    model = build_videomae(norm_pix)
    head = model.head
    torch.manual_seed(1)
    videos = torch.randn(2, 3, 8, 32, 32)
    mask = masks(2)
    num_masked = int(mask[0].sum())
    pred = torch.randn(2, num_masked, head.out_channels)
    loss = head.loss(pred, videos, mask)['loss_pixel']

    total, count = 0.0, 0
    for b in range(2):
        j = 0
        for n in range(64):
            if not mask[b, n]:
                continue
            t, rest = divmod(n, 16)
            h, w = divmod(rest, 4)
            cube = videos[b, :, t * Q:(t + 1) * Q, h * P:(h + 1) * P,
                          w * P:(w + 1) * P]
            target = cube.permute(1, 2, 3, 0).reshape(-1)  # (dt,dy,dx,c)
            if norm_pix:
                target = reference_normalize(target, 3, True)
            for v in range(target.numel()):
                total += (float(pred[b, j, v]) - float(target[v]))**2
                count += 1
            j += 1
    assert count == 2 * num_masked * head.out_channels
    assert loss.item() == pytest.approx(total / count, rel=1e-5)

    # visible cubes do not enter the loss
    changed = videos.clone()
    visible = ~mask[0].view(4, 4, 4)[0]
    h, w = [int(i) for i in visible.nonzero()[0]]
    changed[0, :, :, h * P:(h + 1) * P, w * P:(w + 1) * P] += 5.0
    again = head.loss(pred, changed, mask)['loss_pixel']
    assert torch.equal(loss, again)


def test_encoder_sees_only_visible_tokens():
    model = build_videomae()
    seen = []
    model.backbone.blocks[0].register_forward_hook(
        lambda mod, args, out: seen.append(tuple(args[0].shape)))
    data = model.data_preprocessor(batch(), training=True)
    model(**data, mode='loss')
    # 4 time slices x (16 - 14) visible positions
    assert seen == [(2, 8, 24)]
    visible = vit_visible_tokens(model.backbone, data['inputs'][:, 0],
                                 masks(2))
    assert visible.shape == (2, 8, 24)


def test_unmasked_tokens_reproduce_mmaction_forward():
    """The visible-token path reuses the backbone exactly: with no mask it
    gives MMAction2's forward (also with pos-embed interpolation)."""
    model = build_videomae().eval()
    vit = model.backbone
    for size in (32, 48):
        x = torch.randn(2, 3, 8, size, size)
        tokens = vit_visible_tokens(vit, x)
        assert tokens.shape == (2, 4 * (size // P)**2, 24)
        assert torch.allclose(vit.fc_norm(tokens.mean(1)), vit(x), atol=1e-5)


def test_loss_backward_tiny_batch():
    model = build_videomae()
    data = model.data_preprocessor(batch(), training=True)
    assert data['inputs'].shape == (2, 1, 3, 8, 32, 32)
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_pixel'}
    assert torch.isfinite(losses['loss_pixel'])
    losses['loss_pixel'].backward()
    for prefix in ('backbone.patch_embed', 'backbone.blocks.1', 'neck.blocks',
                   'neck.mask_token', 'neck.head'):
        grads = [
            p.grad for n, p in model.named_parameters()
            if n.startswith(prefix)
        ]
        assert grads and all(
            g is not None and torch.isfinite(g).all() for g in grads), prefix
    # fc_norm is a fine-tuning module: frozen, untouched by the pretext
    assert not model.backbone.fc_norm.weight.requires_grad


def test_two_clips_per_video():
    model = build_videomae()
    data = model.data_preprocessor(batch(num_clips=2), training=True)
    assert data['data_samples'][0].mask.shape == (2, 64)
    losses = model(**data, mode='loss')
    assert torch.isfinite(losses['loss_pixel'])


def test_tensor_and_predict_modes_use_unmasked_clip():
    model = build_videomae().eval()
    data = model.data_preprocessor(batch(num_clips=3), training=False)
    feats = model(data['inputs'], mode='tensor')
    assert feats.shape == (2, 3, 24)
    expected = model.backbone(data['inputs'][1, 2:3])
    assert torch.allclose(feats[1, 2], expected[0], atol=1e-5)
    single = model(data['inputs'][:, 0], mode='tensor')
    assert torch.allclose(single, feats[:, 0], atol=1e-5)
    out = model(**data, mode='predict')
    assert out[0].feats.shape == (24, )
    assert torch.allclose(out[1].feats, feats[1].mean(0), atol=1e-5)


def test_errors_name_the_cause():
    model = build_videomae()
    data = batch()
    for s in data['data_samples']:
        del s.mask
    data = model.data_preprocessor(data, training=True)
    with pytest.raises(KeyError, match='mask'):
        model(**data, mode='loss')
    data = model.data_preprocessor(batch(), training=True)
    for s in data['data_samples']:
        s.mask = torch.zeros(1, 32, dtype=torch.bool)
    with pytest.raises(ValueError, match='input_size'):
        model(**data, mode='loss')
    with pytest.raises(TypeError, match='VisionTransformer'):
        MODELS.build(
            dict(
                type='VideoMAE',
                backbone=dict(
                    type='ResNet3d', depth=18, pretrained=None,
                    stage_blocks=(1, 1, 1, 1), base_channels=8),
                neck=dict(
                    type='VideoMAEDecoder', in_channels=64, num_patches=64,
                    out_channels=384, embed_dims=16, depth=1, num_heads=2),
                head=dict(type='VideoMAEPixelHead', patch_size=P)))
    with pytest.raises(ValueError, match='out_channels'):
        MODELS.build(
            dict(
                type='VideoMAE',
                backbone=copy.deepcopy(TINY_VIT),
                neck=dict(
                    type='VideoMAEDecoder', in_channels=24, num_patches=64,
                    out_channels=100, embed_dims=16, depth=1, num_heads=2),
                head=dict(type='VideoMAEPixelHead', patch_size=P)))


def test_backbone_loads_into_mmaction_recognizer(tmp_path):
    """pretrain -> checkpoint -> MMAction2 Recognizer3D without key errors."""
    model = build_videomae()
    # one optimisation step so the weights differ from any initialisation
    opt = torch.optim.AdamW(model.parameters(), lr=1e-2)
    data = model.data_preprocessor(batch(), training=True)
    model(**data, mode='loss')['loss_pixel'].backward()
    opt.step()
    ckpt = str(tmp_path / 'videomae.pth')
    save_checkpoint({'state_dict': model.state_dict()}, ckpt)
    recognizer = MODELS.build(
        dict(
            type='Recognizer3D',
            backbone=copy.deepcopy(TINY_VIT),
            cls_head=dict(
                type='TimeSformerHead', num_classes=5, in_channels=24)))
    torch.manual_seed(1)
    recognizer.init_weights()
    state = torch.load(ckpt, map_location='cpu')['state_dict']
    result = recognizer.load_state_dict(state, strict=False)
    assert not [k for k in result.missing_keys if k.startswith('backbone.')]
    assert all(k.startswith('neck.') for k in result.unexpected_keys)
    load_checkpoint(recognizer, ckpt, map_location='cpu')
    for name, value in model.backbone.state_dict().items():
        assert torch.equal(recognizer.backbone.state_dict()[name], value), name
    recognizer.eval()
    x = torch.randn(1, 3, 8, 32, 32)
    assert torch.allclose(recognizer.extract_feat(x[None])[0],
                          model(x, mode='tensor'), atol=1e-5)
