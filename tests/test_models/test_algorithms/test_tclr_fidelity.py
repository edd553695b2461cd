"""TCLR-family pieces checked against the authors' released TCLR code:
projection head (``mlp.py``), per-clip-type forward passes, the
paper-setting config's clips, warm-up and plateau rule; shared utilities."""
import copy
import os.path as osp

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.optim import OptimWrapper
from mmengine.registry import PARAM_SCHEDULERS, init_default_scope

import mmssl  # noqa: F401
from mmssl.models.losses import PairwiseInstanceContrastiveLoss
from mmssl.models.utils.data_samples import stack_field
from mmssl.models.utils.speedloc_loss import speedloc_loss
from mmssl.registry import MODELS, TRANSFORMS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))
TCLR_CFG = 'configs/tclr/tclr_r3d-18_1xb40-16x112x112-400e_ucf101-split1.py'
TINY_BACKBONE = dict(
    type='ResNet3d', depth=18, stage_blocks=(1, 1, 1, 1), base_channels=8,
    pretrained=None, pretrained2d=False, conv1_stride_t=1, pool1_stride_t=1,
    inflate=(1, 1, 1, 1))  # 64-d features; 8 frames -> 4 timesteps
TINY_NECK = dict(type='ProjectionMLP', in_channels=64, hidden_channels=32,
                 out_channels=16, with_last_bias=False,
                 out_norm_cfg=dict(type='BN1d'), l2_normalize=True)


def config(path=TCLR_CFG):
    return Config.fromfile(osp.join(REPO, path))


def tiny_tclr(**kwargs):
    """The paper config's TCLR (head, modes) on a tiny backbone and neck."""
    init_default_scope('mmssl')
    torch.manual_seed(0)
    cfg = copy.deepcopy(config().model.to_dict())
    cfg.update(backbone=TINY_BACKBONE, neck=TINY_NECK, **kwargs)
    cfg.pop('data_preprocessor')
    return MODELS.build(cfg)


# ------------------------------------------------------ projection head


class ReleasedMLP(nn.Module):
    """TCLR's mlp.py for a pooled clip: fc1 + bn1 + ReLU, fc2 (no bias) +
    bn2, L2 normalisation."""

    def __init__(self, dims=(512, 512, 128)):
        super().__init__()
        self.fc1 = nn.Linear(dims[0], dims[1], bias=True)
        self.bn1 = nn.BatchNorm1d(dims[1])
        self.fc2 = nn.Linear(dims[1], dims[2], bias=False)
        self.bn2 = nn.BatchNorm1d(dims[2])

    def forward(self, x):
        x = F.relu(self.bn1(self.fc1(x)))
        return F.normalize(self.bn2(self.fc2(x)), p=2, dim=1)


def test_family_projection_head_is_tclr_mlp():
    init_default_scope('mmssl')
    neck = MODELS.build(config().model.neck)
    layers = list(neck.mlp)
    assert [type(m) for m in layers] == [
        nn.Linear, nn.BatchNorm1d, nn.ReLU, nn.Linear, nn.BatchNorm1d]
    assert (layers[0].in_features, layers[0].out_features) == (512, 512)
    assert layers[0].bias is not None and layers[3].bias is None
    assert (layers[3].out_features, layers[4].num_features) == (128, 128)
    ref = ReleasedMLP()
    with torch.no_grad():
        for torch_mod, mine in ((ref.fc1, layers[0]), (ref.bn1, layers[1]),
                                (ref.fc2, layers[3]), (ref.bn2, layers[4])):
            torch_mod.load_state_dict(mine.state_dict())
            if isinstance(mine, nn.BatchNorm1d):  # non-trivial affine
                mine.weight.uniform_(0.5, 1.5)
                mine.bias.uniform_(-0.5, 0.5)
                torch_mod.load_state_dict(mine.state_dict())
    x = torch.randn(6, 512)
    torch.testing.assert_close(neck(x), ref(x))
    # channels-last input: (B, V, C) flattens to one BN batch of B * V
    torch.testing.assert_close(neck(x.view(2, 3, 512)), ref(x).view(2, 3, -1))
    tiny = MODELS.build(config(
        'configs/stclr/stclr_r3d-tiny_1xb8-8x32x32-13clips-30e_synthmotion.py'
    ).model.neck)
    assert tiny.mlp[3].bias is None and isinstance(tiny.mlp[4],
                                                   nn.BatchNorm1d)


def test_projection_mlp_defaults_are_unchanged():
    init_default_scope('mmssl')
    neck = MODELS.build(dict(type='ProjectionMLP', in_channels=8,
                             hidden_channels=4, out_channels=2))
    assert len(neck.mlp) == 4 and neck.mlp[3].bias is not None
    assert not neck.l2_normalize


# ------------------------------------------------ TCLR paper setting


def test_tclr_config_trains_the_released_clip_set():
    cfg = config()
    init_default_scope('mmssl')
    sampler = TRANSFORMS.build(cfg.train_pipeline[1])
    assert cfg.model.instance_mode == sampler.instance_mode == 'global'
    assert sampler.num_clips == 10  # STCLR Table 7
    assert cfg.model.forward_per_view
    assert cfg.train_dataloader.batch_size == 40
    optim = cfg.optim_wrapper.optimizer
    assert (optim.type, optim.lr, optim.weight_decay) == ('Adam', 1e-3, 1e-9)


def test_tclr_config_warm_up_and_plateau_follow_the_released_script():
    """parameters.py: lr x [1/100, 1/20, 1/10, 1/2, 1] in epochs 0-4, then
    lr / 10 at the start of the epoch after 9 epochs without a new best."""
    init_default_scope('mmssl')
    param = nn.Parameter(torch.zeros(1))
    optim = OptimWrapper(torch.optim.Adam([param], lr=1e-3))
    schedulers = [PARAM_SCHEDULERS.build(dict(s, optimizer=optim))
                  for s in config().param_scheduler]
    plateau = [s for s in schedulers if getattr(s, 'need_val_args', False)]
    assert len(plateau) == 1
    losses = [9., 8., 7., 6., 5.] + [5.5] * 9 + [5.5]
    lrs = []
    for loss in losses:
        lrs.append(optim.param_groups[0]['lr'])
        optim.step()
        for s in schedulers:  # TrainLossPlateauHook, ParamSchedulerHook
            s.step({'loss': loss}) if s in plateau else s.step()
    expected = [1e-5, 5e-5, 1e-4, 5e-4] + [1e-3] * 10 + [1e-4]
    assert lrs == pytest.approx(expected)


def test_tclr_loss_uses_dense_clips_and_global_views():
    model = tiny_tclr().eval()
    x = torch.randn(3, 10, 3, 8, 32, 32)
    with torch.no_grad():
        losses = model.loss(x, [ActionDataSample() for _ in range(3)])
        fmap = model.backbone(x.flatten(0, 1)).view(3, 10, 64, 4, 1, 1)
        emb = model.neck(fmap.mean((3, 4, 5)))
    dense = PairwiseInstanceContrastiveLoss(0.1, loss_weight=14,
                                            symmetric=True)(emb[:, 2:10])
    assert set(losses) == {'loss_ic', 'loss_ic_dense', 'loss_ll', 'loss_gl'}
    torch.testing.assert_close(losses['loss_ic_dense'], dense)


def test_forward_per_view_gives_each_clip_type_its_batchnorm_batch():
    """Train mode: the losses equal those of one backbone call per clip type
    and one head call per clip type / global timestep (TCLR's loop)."""
    model = tiny_tclr(forward_per_view=True).train()
    x = torch.randn(3, 10, 3, 8, 32, 32)
    with torch.no_grad():
        losses = model.loss(x, [ActionDataSample() for _ in range(3)])
        fmaps = [model.backbone(x[:, v]) for v in range(10)]
        emb = torch.stack([model.neck(f.mean((2, 3, 4))) for f in fmaps], 1)
        tokens = [
            torch.stack([model.neck(fmaps[g][:, :, t].mean((2, 3)))
                         for t in range(4)], 1) for g in (0, 1)
        ]
        pairs = [(t, emb[:, s:s + 4]) for t in tokens for s in (2, 6)]
        expected = model.head.loss(
            instance=(emb[:, 0], emb[:, 1]),
            local=(emb[:, 2:6], emb[:, 6:10]), global_local=pairs,
            dense=emb[:, 2:10])
        model.forward_per_view = False
        shared = model.loss(x, [ActionDataSample() for _ in range(3)])
    for key, value in expected.items():
        torch.testing.assert_close(losses[key], value, msg=key)
    assert not torch.allclose(losses['loss_ll'], shared['loss_ll'])


# ----------------------------------------------------- shared utilities


def test_stack_field_is_a_data_sample_utility():
    from mmssl.models.algorithms import prp, stclr, vcop, videomae
    assert stack_field.__module__ == 'mmssl.models.utils.data_samples'
    assert vcop.stack_field is prp.stack_field is videomae.stack_field
    assert not hasattr(stclr, 'stack_field')  # via speedloc_loss
    samples = [ActionDataSample() for _ in range(2)]
    for i, s in enumerate(samples):
        s.set_field(torch.tensor([i, 2 * i]), 'order_label')
    assert stack_field(samples, 'order_label').tolist() == [[0, 0], [1, 2]]
    with pytest.raises(KeyError, match='PackSSLInputs'):
        stack_field(samples, 'speedloc_label')


def test_one_speedloc_loss_assembly_for_both_methods():
    from mmssl.models.algorithms import same_speed_localization, stclr
    assert stclr.speedloc_loss is same_speed_localization.speedloc_loss
    init_default_scope('mmssl')
    torch.manual_seed(0)
    head = MODELS.build(dict(type='SameSpeedLocalizationHead',
                             in_channels=8, hidden_channels=4)).eval()
    feats = torch.randn(2, 3, 8)
    samples = [ActionDataSample() for _ in range(2)]
    for s, (speeds, label) in zip(samples, [([1, 1, 2], 0), ([1, 2, 3], 3)]):
        s.set_field(torch.tensor(speeds), 'speedloc_speeds')
        s.set_field(torch.tensor(label), 'speedloc_label')
    losses = speedloc_loss(head, feats, samples, 1.0, 0.75, training=False)
    expected = head.loss(feats, torch.tensor([0, 3]))
    torch.testing.assert_close(losses['loss_speedloc'],
                               expected['loss_speedloc'])
    assert losses['speedloc_cross_ratio'] == 0
    samples[1].set_field(torch.tensor(0), 'speedloc_label')
    with pytest.raises(ValueError, match='speedloc_speeds'):
        speedloc_loss(head, feats, samples, 0.0, 0.75, training=True)
    for algorithm in ('STCLR', 'SameSpeedLocalization'):
        with pytest.raises(ValueError, match='cross_video_prob'):
            tiny_speedloc(algorithm, cross_video_prob=1.5)


def tiny_speedloc(algorithm, **kwargs):
    head = dict(type='SameSpeedLocalizationHead', in_channels=64,
                hidden_channels=16)
    cfg = dict(type=algorithm, backbone=TINY_BACKBONE, **kwargs)
    if algorithm == 'STCLR':
        cfg.update(neck=TINY_NECK, speedloc_head=head, head=dict(
            type='TemporalContrastiveHead', loss_local=dict(
                type='LocalLocalContrastiveLoss')))
    else:
        cfg.update(head=head)
    return MODELS.build(cfg)
