"""RotNet-3D and PRP: losses against hand-computed equations, backward,
modes, backbone swaps and config building."""
import glob
import math
import os.path as osp

import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.registry import init_default_scope

import mmssl  # noqa: F401
from mmssl.models.algorithms.prp import interleave_frames
from mmssl.models.heads.prp_head import stage_sizes
from mmssl.models.utils.motion_attention import motion_attention
from mmssl.registry import MODELS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))
TINY_BACKBONE = dict(
    type='ResNet3d',
    depth=18,
    stage_blocks=(1, 1, 1, 1),
    base_channels=8,
    pretrained=None,
    pretrained2d=False,
    conv1_stride_t=1,
    pool1_stride_t=1,
    inflate=(1, 1, 1, 1))


def build(cfg):
    init_default_scope('mmssl')
    torch.manual_seed(0)
    return MODELS.build(cfg)


def hand_ce(logits, labels):
    """Mean over rows of -log softmax(logits)[label], explicit loops."""
    total = 0.0
    for row, label in zip(logits.tolist(), labels.tolist()):
        log_z = math.log(sum(math.exp(v) for v in row))
        total += log_z - row[label]
    return total / len(labels)


# ----------------------------------------------------------------- RotNet-3D


def build_rotnet(angles=(0, 90, 180, 270), mode='all', **head):
    return build(
        dict(
            type='RotNet3D',
            angles=angles,
            rotation_mode=mode,
            backbone=dict(TINY_BACKBONE),
            head=dict(type='RotNetHead', num_classes=len(angles), **head)))


def test_rotnet_head_loss_is_cross_entropy():
    head = build(dict(type='RotNetHead', in_channels=5, num_classes=4))
    feats = torch.randn(6, 5)
    labels = torch.tensor([0, 1, 2, 3, 1, 2])
    out = head.loss(feats, labels)
    logits = head(feats)
    assert out['loss_rot'].item() == pytest.approx(
        hand_ce(logits, labels), rel=1e-5)
    acc = sum(int(a == b) for a, b in zip(logits.argmax(1).tolist(),
                                          labels.tolist())) / 6
    assert out['acc_rot'].item() == pytest.approx(acc)


def test_rotnet_loss_backward_and_modes():
    model = build_rotnet()
    assert model.head.in_channels == 64  # read from ResNet3d.feat_dim
    inputs = torch.randn(2, 1, 3, 8, 32, 32)
    samples = [ActionDataSample() for _ in range(2)]
    losses = model(inputs, samples, mode='loss')
    assert set(losses) == {'loss_rot', 'acc_rot'}
    losses['loss_rot'].backward()
    grads = [p.grad for p in model.backbone.parameters() if p.grad is not None]
    assert grads and all(torch.isfinite(g).all() for g in grads)
    model.eval()
    assert model(inputs, mode='tensor').shape == (2, 1, 64)
    out = model(inputs, samples, mode='predict')
    assert out[0].feats.shape == (64, )


def test_rotnet_loss_equals_head_ce_on_the_rotated_batch():
    model = build_rotnet(angles=(0, 180), mode='random').eval()
    inputs = torch.randn(2, 1, 3, 8, 32, 32)
    torch.manual_seed(3)
    losses = model.loss(inputs, [])
    torch.manual_seed(3)
    clips, labels = model.rotated_batch(inputs)
    logits = model.head(model.pooled_features(clips))
    assert losses['loss_rot'].item() == pytest.approx(
        hand_ce(logits, labels), rel=1e-5)


def test_rotnet_non_square_and_config_errors():
    model = build_rotnet(mode='random')
    wide = torch.randn(1, 1, 3, 8, 32, 40)
    clips, _ = model.rotated_batch(wide)
    assert clips.shape[-2:] == (32, 32)  # centre-cropped
    model.non_square = 'error'
    with pytest.raises(ValueError, match='square'):
        model.rotated_batch(wide)
    half = build_rotnet(angles=(0, 180), mode='random')
    half.non_square = 'error'
    assert half.rotated_batch(wide)[0].shape[-2:] == (32, 40)
    with pytest.raises(ValueError, match='num_classes'):
        build(
            dict(
                type='RotNet3D',
                angles=(0, 180),
                backbone=dict(TINY_BACKBONE),
                head=dict(type='RotNetHead', num_classes=4)))
    with pytest.raises(ValueError, match='rotation_mode'):
        build_rotnet(mode='every')


# ------------------------------------------------------------ reconstruction


def hand_recon(pred, target, mask, weight, kind):
    """Per-sample mean over valid frames, mean over samples with any."""
    pred, target = pred.detach(), target.detach()
    b_, c_, t_, h_, w_ = pred.shape
    per_sample = []
    for b in range(b_):
        valid = [t for t in range(t_) if mask[b, t] > 0]
        if not valid:
            continue
        acc = 0.0
        for c in range(c_):
            for t in valid:
                for y in range(h_):
                    for x in range(w_):
                        d = float(pred[b, c, t, y, x] - target[b, c, t, y, x])
                        e = d * d if kind == 'mse' else abs(d)
                        wgt = 1.0 if weight is None else float(
                            weight[b, c, 0, y, x])
                        acc += wgt * e
        per_sample.append(acc / (c_ * len(valid) * h_ * w_))
    return sum(per_sample) / len(per_sample) if per_sample else 0.0


@pytest.mark.parametrize('kind', ['mse', 'l1'])
def test_masked_reconstruction_loss_matches_loops(kind):
    torch.manual_seed(0)
    loss = build(
        dict(type='MaskedReconstructionLoss', loss_type=kind,
             loss_weight=2.0))
    pred, target = torch.randn(3, 2, 4, 3, 3), torch.randn(3, 2, 4, 3, 3)
    mask = torch.tensor([[1., 0, 1, 0], [1, 1, 1, 1], [0, 0, 0, 0]])
    weight = torch.rand(3, 2, 1, 3, 3) + 0.5
    for w in (None, weight):
        got = loss(pred, target, mask, w).item()
        assert got == pytest.approx(
            2.0 * hand_recon(pred, target, mask, w, kind), rel=1e-5)
    empty = loss(pred.requires_grad_(), target, torch.zeros(3, 4))
    assert empty.item() == 0.0 and empty.requires_grad
    with pytest.raises(ValueError, match='mask'):
        loss(pred, target, torch.ones(3, 5))


def test_motion_attention_hand_computed():
    """Patch 1x1 at stride 1 (4x4 frames): the map is the min-max scaled
    mean squared frame difference itself."""
    clip = torch.zeros(1, 1, 3, 4, 4)
    clip[0, 0, 1, 0, 0] = 2.0  # pixel (0, 0): diffs 2, -2 -> energy 4
    clip[0, 0, 2, 3, 3] = 1.0  # pixel (3, 3): diffs 0, 1 -> energy 0.5
    w = motion_attention(clip, low=0.8, high=2.0, patch_frac=0.25,
                         stride_frac=0.25)
    assert w.shape == (1, 1, 1, 4, 4)
    expected = torch.full((4, 4), 0.8)
    expected[0, 0] = 2.0
    expected[3, 3] = 0.8 + 1.2 * 0.5 / 4
    assert torch.allclose(w[0, 0, 0], expected, atol=1e-6)
    still = motion_attention(torch.ones(2, 3, 4, 8, 8))
    assert torch.equal(still, torch.ones(2, 3, 1, 8, 8))


# ---------------------------------------------------------------------- PRP


def prp_head_cfg(**kwargs):
    cfg = dict(
        type='PRPHead',
        num_classes=4,
        cls_channels=16,
        rec_channels=16,
        decoder_channels=(8, 8, 4))
    cfg.update(kwargs)
    return cfg


def prp_samples(labels, masks):
    samples = []
    for label, mask in zip(labels, masks):
        sample = ActionDataSample().set_gt_labels(0)
        sample.set_field(torch.tensor(label), 'rate_label')
        sample.set_field(torch.tensor(mask, dtype=torch.float32),
                         'recon_mask')
        samples.append(sample)
    return samples


def test_stage_sizes_and_interleave():
    assert stage_sizes((2, 7, 7), (32, 112, 112), 4) == [(4, 14, 14),
                                                        (8, 28, 28),
                                                        (16, 56, 56),
                                                        (32, 112, 112)]
    # a dimension the backbone kept (T) is never shrunk
    assert stage_sizes((8, 1, 1), (16, 32, 32), 4) == [(8, 4, 4), (8, 8, 8),
                                                      (8, 16, 16),
                                                      (16, 32, 32)]
    a = torch.arange(3.).view(1, 1, 3, 1, 1)
    out = interleave_frames(a, a + 10)
    assert out.flatten().tolist() == [0, 10, 1, 11, 2, 12]


def test_prp_head_losses_match_hand_computed():
    head = build(dict(prp_head_cfg(), in_channels=6)).eval()
    feat_map = torch.randn(2, 6, 2, 2, 2)
    labels = torch.tensor([3, 0])
    target = torch.randn(2, 3, 8, 16, 16)
    mask = torch.tensor([[1.] * 8, [1., 0] * 4])
    clip = target[:, :, 0::2]
    out = head.loss(feat_map, labels, target, mask, clip)
    logits, recon = head(feat_map, target.shape[2:])
    assert recon.shape == target.shape
    assert out['loss_rate'].item() == pytest.approx(
        0.1 * hand_ce(logits, labels), rel=1e-5)
    weight = motion_attention(clip, 0.8, 2.0, 0.25, 1 / 16)
    assert out['loss_recon'].item() == pytest.approx(
        hand_recon(recon, target, mask, weight, 'mse'), rel=1e-4)
    # weights are config options; 'skipped' drops the sampled frames
    head2 = build(
        dict(
            prp_head_cfg(
                recon_targets='skipped',
                motion_attention=None,
                loss_cls=dict(type='CrossEntropyLoss', loss_weight=1.0),
                loss_recon=dict(
                    type='MaskedReconstructionLoss', loss_type='l1',
                    loss_weight=0.5)),
            in_channels=6)).eval()
    out2 = head2.loss(feat_map, labels, target, mask)
    logits2, recon2 = head2(feat_map, target.shape[2:])
    assert out2['loss_rate'].item() == pytest.approx(
        hand_ce(logits2, labels), rel=1e-5)
    odd = mask.clone()
    odd[:, 0::2] = 0
    assert out2['loss_recon'].item() == pytest.approx(
        0.5 * hand_recon(recon2, target, odd, None, 'l1'), rel=1e-4)


def test_prp_loss_backward_and_modes():
    model = build(
        dict(type='PRP', backbone=dict(TINY_BACKBONE), head=prp_head_cfg()))
    assert model.head.in_channels == 64
    inputs = torch.randn(2, 2, 3, 8, 32, 32)
    samples = prp_samples([1, 0], [[1.] * 16, [1., 0] * 8])
    losses = model(inputs, samples, mode='loss')
    assert set(losses) == {'loss_rate', 'acc_rate', 'loss_recon'}
    (losses['loss_rate'] + losses['loss_recon']).backward()
    for part in (model.backbone, model.head.fc_cls, model.head.conv_out):
        grads = [p.grad for p in part.parameters() if p.grad is not None]
        assert grads and all(torch.isfinite(g).all() for g in grads)
    model.eval()
    out = model(inputs, samples, mode='predict')
    assert out[0].feats.shape == (64, )
    assert 0 <= int(out[0].pred_rate) < 4


def test_prp_errors_and_discriminative_only():
    model = build(
        dict(type='PRP', backbone=dict(TINY_BACKBONE), head=prp_head_cfg()))
    one_clip = torch.randn(2, 1, 3, 8, 32, 32)
    samples = prp_samples([1, 0], [[1.] * 16] * 2)
    with pytest.raises(ValueError, match='skipped frames'):
        model.loss(one_clip, samples)
    bare = [ActionDataSample().set_gt_labels(0) for _ in range(2)]
    with pytest.raises(KeyError, match='rate_label'):
        model.loss(torch.randn(2, 2, 3, 8, 32, 32), bare)
    disc = build(
        dict(
            type='PRP',
            backbone=dict(TINY_BACKBONE),
            head=prp_head_cfg(loss_recon=None)))
    losses = disc.loss(one_clip, samples)
    assert set(losses) == {'loss_rate', 'acc_rate'}


def test_backbone_swap_fills_head_channels():
    for backbone, channels in ((dict(type='R2Plus1DVCOP'), 512),
                               (dict(type='ShuffleNet3D', groups=3,
                                     width_mult=2.0), 1920)):
        model = build(
            dict(
                type='RotNet3D',
                backbone=backbone,
                head=dict(type='RotNetHead', num_classes=4)))
        assert model.head.fc_cls.in_features == channels


NEW_CONFIGS = sorted(
    glob.glob(osp.join(REPO, 'configs/rotnet/*.py')) +
    glob.glob(osp.join(REPO, 'configs/prp/*.py')) + [
        c for c in glob.glob(osp.join(REPO, 'configs/vcop/*.py'))
        if '4clips' in c or '5clips' in c or 'k400-50k' in c
    ])


@pytest.mark.parametrize(
    'config', NEW_CONFIGS, ids=[osp.basename(c) for c in NEW_CONFIGS])
def test_config_builds_with_matching_class_counts(config):
    cfg = Config.fromfile(config)
    model = build(cfg.model)
    sampler = cfg.train_dataloader.dataset.pipeline[1]
    if cfg.model.type == 'RotNet3D':
        assert model.head.num_classes == len(model.angles)
    elif cfg.model.type == 'PRP':
        assert model.head.num_classes == len(sampler['rates'])
    else:
        assert model.head.num_clips == sampler['num_clips']


def test_prp_uses_the_pipelines_motion_weight():
    """With ``motion_weight`` in the data samples (PRPMotionAttention), the
    reconstruction loss is weighted by it instead of the clip-level map."""
    model = build(
        dict(
            type='PRP',
            backbone=dict(TINY_BACKBONE),
            head=prp_head_cfg(motion_attention=None))).eval()
    inputs = torch.randn(2, 2, 3, 8, 32, 32)
    masks = [[1.] * 16, [1., 0] * 8]
    plain = model(inputs, prp_samples([1, 0], masks), mode='loss')
    weighted = prp_samples([1, 0], masks)
    weight = torch.rand(2, 16, 32, 32) + 1.0
    for sample, w in zip(weighted, weight):
        sample.set_field(w, 'motion_weight')
    out = model(inputs, weighted, mode='loss')
    feat_map = model.extract_feat(inputs[:, 0])
    recon = model.head.decode(feat_map, (16, 32, 32))
    target = torch.stack((inputs[:, 0], inputs[:, 1]), dim=3).flatten(2, 3)
    mask = torch.tensor(masks)
    # per sample: sum over valid frames of w * d^2 / (C * |V| * H * W)
    sq = (recon.detach() - target)**2 * weight.unsqueeze(1)
    per_sample = [
        float(sq[b][:, mask[b] > 0].sum()) /
        (3 * int(mask[b].sum()) * 32 * 32)
        for b in range(2)
    ]
    expected = sum(per_sample) / 2
    assert out['loss_recon'].item() == pytest.approx(expected, rel=1e-4)
    assert out['loss_recon'].item() != pytest.approx(
        plain['loss_recon'].item(), rel=1e-3)


RATES = ('2rates', '3rates', '4rates')


@pytest.mark.parametrize('level', RATES)
def test_prp_paper_configs_default_to_the_original_motion_maps(level):
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/prp/prp_r2plus1d-vcop_1xb8-16x112x112-'
                 f'{level}-200e_k400-50k.py'))
    types = [t['type'] for t in cfg.train_pipeline]
    frames = types.index('PRPMotionFrames')
    assert types[frames - 1] == 'PRPSampleClip'
    assert types[frames + 1] == 'DecordDecodeUnion'
    # maps after crop and flip, before photometric jitter and packing
    assert types.index('Flip') < types.index('PRPMotionAttention') < \
        types.index('ClipColorJitter')
    assert 'motion_weight' in cfg.train_pipeline[-1]['target_keys']
    assert cfg.model.head.motion_attention is None


@pytest.mark.parametrize('backbone', ['r2plus1d-vcop', 'shufflenet3d-2x'])
def test_rotnet_paper_levels_have_equal_compute(backbone):
    """C1..C3 feed the same number of clips per step (one random rotation
    per clip) and use the small-angle rotation of supp. C.3."""
    sizes = []
    for k in (2, 3, 4):
        cfg = Config.fromfile(
            osp.join(REPO, f'configs/rotnet/rotnet_{backbone}_1xb8-16x112x112-'
                     f'{k}rot-200e_k400-50k.py'))
        assert cfg.model.rotation_mode == 'random'
        cfg.model.backbone = dict(TINY_BACKBONE)
        model = build(cfg.model)
        clips, labels = model.rotated_batch(torch.zeros(8, 1, 3, 2, 16, 16))
        assert set(labels.tolist()) <= set(range(k))
        sizes.append((len(clips), cfg.train_dataloader.batch_size))
        types = [t['type'] for t in cfg.train_pipeline]
        assert types.index('RandomCrop') < types.index(
            'ClipRandomRotation') < types.index('FormatShape')
    assert sizes == [(8, 8)] * 3
