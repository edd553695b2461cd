"""TCLR, Simplified TCLR, STCLR and Same Speed Localization: losses on tiny
inputs, clip layouts, in-batch SpeedLoc tuple composition, heads, neck, hook."""
import copy
import itertools

import pytest
import torch
import torch.nn.functional as F
from mmaction.structures import ActionDataSample
from mmengine.registry import init_default_scope

import mmssl  # noqa: F401
from mmssl.models.losses import (GlobalLocalContrastiveLoss,
                                 InstanceContrastiveLoss,
                                 LocalLocalContrastiveLoss)
from mmssl.models.utils import (compose_speed_tuples, compose_speedloc_batch,
                                speed_label)
from mmssl.registry import MODELS

TINY_BACKBONE = dict(
    type='ResNet3d',
    depth=18,
    stage_blocks=(1, 1, 1, 1),
    base_channels=8,
    pretrained=None,
    pretrained2d=False,
    conv1_stride_t=1,
    pool1_stride_t=1,
    inflate=(1, 1, 1, 1))  # 64-d features; 8 frames -> 4 timesteps
NECK = dict(type='ProjectionMLP', in_channels=64, hidden_channels=32,
            out_channels=16)
HEAD = dict(
    type='TemporalContrastiveHead',
    loss_instance=dict(type='InstanceContrastiveLoss', temperature=0.3),
    loss_local=dict(type='LocalLocalContrastiveLoss', temperature=0.3))
SPEEDLOC_HEAD = dict(type='SameSpeedLocalizationHead', in_channels=64,
                hidden_channels=16)


def build(cfg):
    init_default_scope('mmssl')
    torch.manual_seed(0)
    cfg = copy.deepcopy(cfg)
    cfg.setdefault('backbone', copy.deepcopy(TINY_BACKBONE))
    return MODELS.build(cfg)


def build_tclr(instance_mode='separate', num_local_clips=4):
    head = dict(HEAD, loss_global_local=dict(
        type='GlobalLocalContrastiveLoss', temperature=0.3))
    return build(dict(type='TCLR', neck=NECK, head=head,
                      num_local_clips=num_local_clips,
                      instance_mode=instance_mode))


def build_stclr(**kwargs):
    return build(dict(type='STCLR', neck=NECK,
                      head=dict(HEAD, local_loss_name='loss_sll'),
                      speedloc_head=SPEEDLOC_HEAD, num_local_clips=5, **kwargs))


def samples(speeds=None):
    out = []
    for i, s in enumerate(speeds if speeds is not None else [None] * 2):
        sample = ActionDataSample().set_gt_labels(i)
        if s is not None:
            s = torch.tensor(s)
            sample.set_field(s, 'speedloc_speeds')
            sample.set_field(speed_label(s[None])[0], 'speedloc_label')
        out.append(sample)
    return out


def batch(views, batch_size=2, size=32):
    """Preprocessed-like inputs: (B, V, 3, 8, size, size)."""
    torch.manual_seed(1)
    return torch.randn(batch_size, views, 3, 8, size, size)


def assert_trains(model, losses, expected):
    assert set(losses) == expected
    total = sum(v for k, v in losses.items() if k.startswith('loss_'))
    assert torch.isfinite(total)
    total.backward()
    for module in (model.backbone, model.neck):
        if module is not None:
            grads = [p.grad for p in module.parameters()]
            assert all(g is not None and torch.isfinite(g).all()
                       for g in grads)


# ------------------------------------------------------------ algorithms


@pytest.mark.parametrize('mode, views', [('separate', 11), ('global', 10)])
def test_tclr_loss_and_backward(mode, views):
    model = build_tclr(mode)
    losses = model(batch(views), samples(), mode='loss')
    assert_trains(model, losses, {'loss_ic', 'loss_ll', 'loss_gl'})


def test_tclr_losses_follow_the_clip_layout():
    """Recompute each term from the backbone features by hand."""
    model = build_tclr('separate').eval()
    x = batch(11)
    with torch.no_grad():
        losses = model.loss(x, samples())
        fmap = model.backbone(x.flatten(0, 1)).view(2, 11, 64, 4, 1, 1)
        emb = model.neck(fmap.mean((3, 4, 5)))
        tokens = model.neck(fmap[:, 10].flatten(2).transpose(1, 2))
    ic = InstanceContrastiveLoss(0.3)(emb[:, 0], emb[:, 1])
    ll = LocalLocalContrastiveLoss(0.3)(emb[:, 2:6], emb[:, 6:10])
    gl_loss = GlobalLocalContrastiveLoss(0.3)
    gl = 0.5 * (gl_loss(tokens, emb[:, 2:6]) + gl_loss(tokens, emb[:, 6:10]))
    assert torch.allclose(losses['loss_ic'], ic, atol=1e-5)
    assert torch.allclose(losses['loss_ll'], ll, atol=1e-5)
    assert torch.allclose(losses['loss_gl'], gl, atol=1e-5)


def test_tclr_global_time_axis_checks():
    model = build_tclr(num_local_clips=8)  # 8 frames -> only 4 timesteps
    with pytest.raises(ValueError, match='timesteps'):
        model(batch(19), samples(), mode='loss')
    with pytest.raises(ValueError, match='TCLRSampleClips'):
        build_tclr()(batch(10), samples(), mode='loss')


@pytest.mark.parametrize('source, views', [('local', 10), ('separate', 12)])
def test_simplified_tclr_loss_and_backward(source, views):
    model = build(dict(type='SimplifiedTCLR', neck=NECK,
                       head=dict(HEAD, local_loss_name='loss_sll'),
                       num_local_clips=5, instance_source=source))
    losses = model(batch(views), samples(), mode='loss')
    assert_trains(model, losses, {'loss_ic', 'loss_sll'})
    with torch.no_grad():
        emb = model.neck(model.pooled_features(batch(views)))
    s = 0 if source == 'local' else 2
    ll = LocalLocalContrastiveLoss(0.3)(emb[:, s:s + 5], emb[:, s + 5:])
    assert torch.allclose(losses['loss_sll'], ll, atol=1e-4)
    with pytest.raises(ValueError, match='SparseLocalSampleClips'):
        model(batch(views + 1), samples(), mode='loss')


def test_stclr_loss_and_backward():
    model = build_stclr()
    speeds = [[1, 1, 3], [2, 4, 5]]
    losses = model(batch(13), samples(speeds), mode='loss')
    assert_trains(model, losses, {
        'loss_ic', 'loss_sll', 'loss_speedloc', 'acc_speedloc', 'speedloc_cross_ratio'
    })
    assert all(p.grad is not None for p in model.speedloc_head.parameters())
    # batch of 2 < K = 3 videos: no cross-video tuple can be composed
    assert losses['speedloc_cross_ratio'] == 0


def test_stclr_speedloc_uses_the_last_clips_with_sampler_labels():
    model = build_stclr(cross_video_prob=0.0).eval()
    speeds = [[1, 1, 3], [2, 4, 5]]
    x = batch(13)
    with torch.no_grad():
        losses = model.loss(x, samples(speeds))
        pooled = model.pooled_features(x)[:, 10:]
        logits = model.speedloc_head(pooled)
    expected = F.cross_entropy(logits, torch.tensor([0, 3]))
    assert torch.allclose(losses['loss_speedloc'], expected, atol=1e-5)
    bad = samples(speeds)
    bad[0].set_field(torch.tensor(2), 'speedloc_label')
    with pytest.raises(ValueError, match='speedloc_label does not match'):
        model.loss(x, bad)


def test_same_speed_localization_alone():
    model = build(dict(type='SameSpeedLocalization', head=SPEEDLOC_HEAD))
    speeds = [[1, 1, 3], [2, 4, 5], [3, 6, 6], [5, 2, 5]]
    losses = model(batch(3, 4, 16), samples(speeds), mode='loss')
    assert set(losses) == {'loss_speedloc', 'acc_speedloc', 'speedloc_cross_ratio'}
    losses['loss_speedloc'].backward()
    assert all(p.grad is not None for p in model.backbone.parameters())
    model.eval()
    out = model(batch(3, 4, 16), samples(speeds), mode='predict')
    assert out[0].feats.shape == (64, )
    assert 0 <= int(out[0].pred_speedloc) < 4
    with pytest.raises(ValueError, match='SpeedLocTupleSampleClips'):
        model(batch(4, 4, 16), samples(speeds), mode='loss')


def test_tensor_mode_gives_pooled_backbone_features():
    model = build_stclr().eval()
    feats = model(batch(13), mode='tensor')
    assert feats.shape == (2, 13, 64)


# ------------------------------------------------- in-batch composition


def test_compose_labels_follow_speeds_and_videos_differ():
    torch.manual_seed(0)
    speeds = torch.randint(1, 6, (16, 3))
    speeds[:, 1] = speeds[:, 0]  # every own tuple is "12"
    speeds[:, 2] = speeds[:, 0] % 5 + 1
    for _ in range(50):
        index, labels, cross = compose_speed_tuples(speeds, 0.6, 0.75)
        flat = speeds.reshape(-1)
        assert torch.equal(labels, speed_label(flat[index]))
        assert (labels >= 0).all()
        videos = index // 3
        for row, v in zip(index[cross], videos[cross]):
            assert len(set(v.tolist())) == 3, row
        own = torch.arange(48).view(16, 3)
        assert torch.equal(index[~cross], own[~cross])


def test_compose_distribution_under_c1_c2():
    torch.manual_seed(0)
    n_cross, n_rows, cross_labels = 0, 0, []
    for _ in range(300):
        speeds = torch.randint(1, 17, (16, 3))
        index, labels, cross = compose_speed_tuples(speeds, 0.6, 0.75)
        n_cross += int(cross.sum())
        n_rows += 16
        cross_labels += labels[cross].tolist()
    assert abs(n_cross / n_rows - 0.6) < 0.02  # C1
    freq = torch.bincount(torch.tensor(cross_labels), minlength=4).float()
    freq /= freq.sum()
    # C2 = 0.75 over the 3 pair positions, C3 = 0.25 "None"
    assert torch.allclose(freq, torch.full((4, ), 0.25), atol=0.025)


def test_compose_determinism_identity_and_small_batches():
    speeds = torch.randint(1, 6, (8, 3), generator=torch.Generator()
                           .manual_seed(3))
    outs = []
    for _ in range(2):
        torch.manual_seed(7)
        outs.append(compose_speed_tuples(speeds, 0.6, 0.75))
    assert all(torch.equal(a, b) for a, b in zip(*outs))
    g = torch.Generator().manual_seed(1)
    index, labels, cross = compose_speed_tuples(speeds, 0.0, 0.75, g)
    assert not cross.any() and torch.equal(
        index, torch.arange(24).view(8, 3))
    index, _, cross = compose_speed_tuples(speeds[:2], 1.0, 0.75)
    assert not cross.any()
    # no speed shared by two videos -> "same" draws fall back to own tuples
    distinct = torch.arange(1, 25).view(8, 3)
    _, labels, cross = compose_speed_tuples(distinct, 1.0, 1.0)
    assert not cross.any() and (labels == 3).all()


def test_compose_speedloc_batch_gathers_features():
    feats = torch.randn(6, 3, 5)
    speeds = torch.tensor([[1, 1, 2], [3, 4, 5], [2, 2, 1], [5, 5, 3],
                           [1, 2, 3], [4, 4, 2]])
    torch.manual_seed(0)
    out, labels, cross = compose_speedloc_batch(feats, speeds, 1.0, 0.75,
                                           speed_label(speeds))
    torch.manual_seed(0)
    index, labels2, _ = compose_speed_tuples(speeds, 1.0, 0.75)
    assert torch.equal(out, feats.reshape(18, 5)[index])
    assert torch.equal(labels, labels2) and cross.any()
    with pytest.raises(ValueError, match='disagree'):
        compose_speedloc_batch(feats[:, :2], speeds, 0.6, 0.75)


# --------------------------------------------------- heads and the neck


def test_speedloc_head_matches_explicit_pairwise_reference():
    init_default_scope('mmssl')
    torch.manual_seed(0)
    head = MODELS.build(dict(SPEEDLOC_HEAD, init_cfg=None)).eval()
    feats = torch.randn(4, 3, 64)
    logits = head(feats)
    assert logits.shape == (4, 4) and head.num_classes == 4
    for b in range(4):
        pair_vecs = []
        for i, j in itertools.combinations(range(3), 2):  # 12, 13, 23
            f_ij = torch.cat([feats[b, i], feats[b, j]])
            pair_vecs.append(torch.relu(head.pair_fc(f_ij)))
        ref = head.fc_cls(torch.cat(pair_vecs))
        assert torch.allclose(logits[b], ref, atol=1e-5)
    losses = head.loss(feats, torch.tensor([0, 1, 2, 3]))
    assert torch.allclose(losses['loss_speedloc'],
                          F.cross_entropy(logits, torch.tensor([0, 1, 2, 3])))
    with pytest.raises(ValueError, match='SpeedLoc labels'):
        head.loss(feats, torch.tensor([0, 1, 2, 4]))


def test_contrastive_head_terms_and_missing_inputs():
    init_default_scope('mmssl')
    head = MODELS.build(dict(HEAD))
    g, g2 = torch.randn(4, 8), torch.randn(4, 8)
    loc, loc2 = torch.randn(4, 5, 8), torch.randn(4, 5, 8)
    losses = head.loss(instance=(g, g2), local=(loc, loc2))
    assert torch.allclose(losses['loss_ic'],
                          InstanceContrastiveLoss(0.3)(g, g2))
    assert torch.allclose(losses['loss_ll'],
                          LocalLocalContrastiveLoss(0.3)(loc, loc2))
    with pytest.raises(ValueError, match='loss_ll'):
        head.loss(instance=(g, g2))
    with pytest.raises(ValueError, match='loss_'):
        MODELS.build(dict(HEAD, local_loss_name='sll'))


def test_projection_mlp_is_dimension_agnostic():
    init_default_scope('mmssl')
    neck = MODELS.build(NECK).eval()
    x = torch.randn(3, 4, 64)
    out = neck(x)
    assert out.shape == (3, 4, 16)
    assert torch.allclose(out.view(12, 16), neck(x.view(12, 64)), atol=1e-6)
    with pytest.raises(ValueError, match='ProjectionMLP'):
        neck(torch.randn(3, 32))


# ----------------------------------------------------------------- hook


class _Runner:

    def __init__(self, scheduler):
        from mmengine.logging import MessageHub
        self.param_schedulers = [scheduler]
        self.message_hub = MessageHub.get_instance('tclr_plateau_test')


def test_train_loss_plateau_hook_reduces_lr_on_training_loss():
    from mmengine.optim import OptimWrapper, ReduceOnPlateauLR

    from mmssl.engine.hooks import TrainLossPlateauHook
    param = torch.nn.Parameter(torch.zeros(1))
    optim = OptimWrapper(torch.optim.Adam([param], lr=1e-3))
    scheduler = ReduceOnPlateauLR(optim, monitor='loss', patience=2)
    runner = _Runner(scheduler)
    hook = TrainLossPlateauHook()
    lrs = []
    # epoch means: 5, 4, 4, 4, 4 -> 3 epochs without improvement > patience
    for epoch_losses in ([6., 4.], [4., 4.], [4., 4.], [4., 4.], [4., 4.]):
        hook.before_train_epoch(runner)
        for i, v in enumerate(epoch_losses):
            hook.after_train_iter(runner, i, outputs=dict(
                loss=torch.tensor(v)))
        hook.after_train_epoch(runner)
        lrs.append(optim.param_groups[0]['lr'])
    assert lrs == pytest.approx([1e-3, 1e-3, 1e-3, 1e-3, 1e-4])
    assert runner.message_hub.get_scalar(
        'plateau/epoch_mean_loss').current() == 4.0
    with pytest.raises(KeyError, match='monitor'):
        hook.after_train_iter(runner, 0, outputs=dict(acc=1.0))


# -------------------------------------------------------------- configs


def _family_configs():
    import glob
    import os.path as osp
    repo = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
        osp.abspath(__file__)))))
    return sorted(glob.glob(osp.join(repo, 'configs/tclr/*.py')) +
                  glob.glob(osp.join(repo, 'configs/stclr/*.py')))


@pytest.mark.parametrize('path', _family_configs(),
                         ids=lambda p: p.rsplit('/', 1)[-1][:40])
def test_configs_build_with_matching_layouts(path):
    """Every TCLR-family config builds; sampler V matches the model's."""
    from mmengine.config import Config

    from mmssl.registry import TRANSFORMS
    cfg = Config.fromfile(path)
    init_default_scope('mmssl')
    model = MODELS.build(cfg.model)
    sampler = TRANSFORMS.build(cfg.train_pipeline[1])
    expected = getattr(model, 'num_views', None)
    if expected is None:  # SameSpeedLocalization
        expected = model.head.num_clips
    assert sampler.num_clips == expected
    hooks = [h['type'] for h in cfg.get('custom_hooks', [])]
    plateau = [s for s in cfg.param_scheduler
               if s['type'] == 'ReduceOnPlateauLR']
    assert bool(plateau) == ('TrainLossPlateauHook' in hooks)
