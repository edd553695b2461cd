"""Every task x backbone pair builds and runs a training step in a tiny
setting.

For each pretext task (RotNet, VCOP, PRP, CVRL, TDL, RSPNet) the model dict
of its tiny SynthMotion config is taken as it is and only ``model.backbone``
is replaced by each config of the backbone zoo
(``configs/_base_/models/backbones/``, full width). The algorithm is built,
initialised as the runner does (``init_weights``) and takes ONE real
``train_step`` (data preprocessor, forward, backward, SGD update, and for the
momentum methods the EMA / queue update) on two random videos at the
smallest clip size the backbone accepts (at least 2 frames).

Checks per pair: the logged losses are exactly the task's keys and finite,
``train_step`` returned a dict of scalar floats / tensors, the necks and
heads that read ``in_channels`` from the backbone got its real width, and
the SGD step changed the backbone's FIRST conv (so the gradient reaches the
input end of the backbone) and the task's head (or projection neck for the
contrastive methods, whose heads are parameter-free losses).

VideoMAE is not crossed with the zoo (see :func:`test_videomae_vit_step`);
it gets its own case with its tiny ViT config.
"""
import copy
import functools
import glob
import logging
import os.path as osp

import numpy as np
import pytest
import torch
import torch.nn as nn
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope

import mmssl  # noqa: F401
from mmssl.datasets.transforms.masking import tube_mask
from mmssl.registry import MODELS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))
BACKBONE_DIR = osp.join(REPO, 'configs', '_base_', 'models', 'backbones')

# Task -> its tiny config (RGB input; the residual-frame variants differ
# only in the data preprocessor).
TASK_CONFIGS = dict(
    RotNet='configs/rotnet/'
    'rotnet_r3d-tiny_1xb8-8x32x32-4rot-40e_synthmotion.py',
    VCOP='configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py',
    PRP='configs/prp/prp_r3d-tiny_1xb8-6x32x32-4rates-40e_synthmotion.py',
    CVRL='configs/cvrl/cvrl_r3d-tiny_1xb16-8x32x32-2clips-40e_synthmotion.py',
    TDL='configs/tdl/tdl_r3d-tiny_1xb16-8x32x32-triplet-40e_synthmotion.py',
    RSPNet='configs/rspnet/'
    'rspnet_r3d-tiny_1xb16-8x32x32-speed1-2-40e_synthmotion.py',
)
# Clips per video in the batch (see ``make_batch``).
VIEWS = dict(RotNet=1, VCOP=3, PRP=2, CVRL=2, TDL=3, RSPNet=3)
# Keys of the logged loss dict (MMEngine adds the total ``loss``).
LOSS_KEYS = dict(
    RotNet={'loss_rot', 'acc_rot'},
    VCOP={'loss_order', 'acc_order'},
    PRP={'loss_rate', 'acc_rate', 'loss_recon'},
    CVRL={'loss_contrast', 'acc_contrast'},
    # the tiny TDL config has no triplet term (TDLHead.loss_triplet=None)
    TDL={'loss_contrast', 'acc_contrast', 'acc_temporal'},
    RSPNet={'loss_rsp', 'loss_avid', 'acc_rsp', 'acc_avid'},
)
# Trainable pretext modules that must move in the step. CVRL / TDL / RSPNet
# heads only hold a loss (no parameters): their projection necks are the
# trained "head". PRP: both the rate classifier and the frame decoder.
HEAD_MODULES = dict(
    RotNet=('head', ),
    VCOP=('head.pair_fc', 'head.fc_cls'),
    PRP=('head.fc_cls', 'head.conv_out'),
    CVRL=('neck', ),
    TDL=('neck', ),
    RSPNet=('neck.necks.appearance', 'neck.necks.speed'),
)
# Modules that infer ``in_channels`` from the backbone (their value is
# checked against the backbone's real output width).
INFERRED_IN_CHANNELS = dict(
    RotNet=('head', ),
    VCOP=('head', ),
    PRP=('head', ),
    CVRL=('neck', ),
    TDL=('neck', 'momentum_encoder.neck'),
    RSPNet=('neck.necks.appearance', 'neck.necks.speed'),
)

# Backbone config (file name without .py) -> (smallest clip (T, H, W) it
# accepts, output channels, name of its stem module). T >= 2 everywhere:
# a video needs two frames, and PRP's motion attention uses frame
# differences.
BACKBONES = {
    # three 2x2x2 max-pools: T >= 8; 16x16 ends at 1x1 after 4 halvings
    'c3d_vcop': ((8, 16, 16), 512, 'conv1'),
    'mobilenetv2_3d_1.0x': ((2, 16, 16), 1280, 'conv1'),
    'r2plus1d_18': ((2, 16, 16), 512, 'conv1'),
    'r2plus1d_18_ctp': ((2, 16, 16), 512, 'conv1'),
    'r2plus1d_vcop': ((2, 16, 16), 512, 'conv1'),
    'r3d_18': ((2, 16, 16), 512, 'conv1'),
    'r3d_18_ctp': ((2, 16, 16), 512, 'conv1'),
    'r3d_18_rspnet': ((2, 16, 16), 512, 'conv1'),
    'r3d_18_tclr_dilated': ((2, 16, 16), 512, 'conv1'),
    'r3d_vcop': ((2, 16, 16), 512, 'conv1'),
    's3dg': ((2, 16, 16), 1024, 'conv1'),
    # conv1 strides T by 2 and the last max-pool rounds down: T, H >= 8, 32
    's3dg_rspnet': ((8, 32, 32), 1024, 'conv1'),
    # unpadded 2x3x3 average pools in the stride-2 units: T a multiple of
    # 16 and H, W >= 33 (see ShuffleNet3D's docstring)
    'shufflenet3d_2.0x': ((16, 33, 33), 1920, 'conv1'),
    'squeezenet3d': ((2, 16, 16), 512, 'conv1'),
    # patch (2, 4, 4); windows are clipped to the token grid
    'videoswin_t': ((2, 16, 16), 768, 'patch_embed'),
}


def backbone_names():
    return sorted(
        osp.basename(p)[:-3]
        for p in glob.glob(osp.join(BACKBONE_DIR, '*.py')))


@functools.lru_cache(maxsize=None)
def _task_model_cfg(task):
    return Config.fromfile(osp.join(REPO, TASK_CONFIGS[task])).model.to_dict()


@functools.lru_cache(maxsize=None)
def _backbone_cfg(name):
    return Config.fromfile(osp.join(BACKBONE_DIR, f'{name}.py')).backbone


def model_cfg(task, backbone):
    """The task's tiny model dict with only the backbone replaced."""
    cfg = copy.deepcopy(_task_model_cfg(task))
    # replaced as a whole, not merged: no key of the tiny ResNet3d
    # (base_channels, ...) may leak into another backbone
    cfg['backbone'] = copy.deepcopy(dict(_backbone_cfg(backbone)))
    return cfg


def build(cfg):
    init_default_scope('mmssl')
    torch.manual_seed(0)
    model = MODELS.build(cfg)
    # init_weights logs one INFO entry per parameter; keep failure output
    # readable
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        model.init_weights()
    finally:
        logger.setLevel(level)
    return model


def make_batch(task, size, num_videos=2):
    """``dict(inputs=[(V, 3, T, H, W)] * B, data_samples=[...])`` with the
    pretext targets each task's sampler would pack."""
    gen = torch.Generator().manual_seed(0)
    inputs = [
        torch.randint(0, 256, (VIEWS[task], 3, *size), generator=gen).float()
        for _ in range(num_videos)
    ]
    if task == 'RSPNet':
        # [query, key_same, key_diff]: the RSP loss is a hinge,
        # max(0, 2 - (s(q, k_same) - s(q, k_diff)) / 0.07), which unrelated
        # random clips may already satisfy (zero loss, no gradient to the
        # speed neck; seen with S3D-G). key_diff = query makes
        # s(q, k_diff) = 1 (online and momentum encoders are equal at
        # init), so the hinge is active whatever the backbone.
        for clips in inputs:
            clips[2] = clips[0]
    samples = []
    for i in range(num_videos):
        sample = ActionDataSample().set_gt_labels(i)
        if task == 'VCOP':
            sample.set_field(torch.tensor(i % 6), 'order_label')
        elif task == 'PRP':
            sample.set_field(torch.tensor(i % 4), 'rate_label')
            mask = torch.ones(2 * size[0])
            mask[-1] = float(i == 0)  # one padded target frame
            sample.set_field(mask, 'recon_mask')
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def first_conv(module):
    """Name and module of the first convolution registered in ``module``."""
    return next((name, m) for name, m in module.named_modules()
                if isinstance(m, nn.modules.conv._ConvNd))


def snapshot(module):
    return [p.detach().clone() for p in module.parameters()]


def changed(before, module):
    return any(not torch.equal(b, p.detach())
               for b, p in zip(before, module.parameters()))


def check_log_vars(log_vars, loss_keys):
    assert isinstance(log_vars, dict)
    assert set(log_vars) == {'loss'} | loss_keys
    for key, value in log_vars.items():
        assert isinstance(value, (float, torch.Tensor)), (key, type(value))
        value = torch.as_tensor(value)
        assert value.numel() == 1, (key, value.shape)
        assert torch.isfinite(value).all(), (key, value)


def sgd_step(model, data):
    wrapper = OptimWrapper(
        torch.optim.SGD([p for p in model.parameters() if p.requires_grad],
                        lr=0.01))
    return model.train_step(data, wrapper)


def test_matrix_covers_every_backbone_config():
    assert backbone_names() == sorted(BACKBONES)
    assert set(TASK_CONFIGS) == set(VIEWS) == set(LOSS_KEYS)


PAIRS = [(task, bb) for task in TASK_CONFIGS for bb in backbone_names()]


@pytest.mark.parametrize(
    'task,backbone', PAIRS, ids=[f'{t}-{b}' for t, b in PAIRS])
def test_task_backbone_train_step(task, backbone):
    size, channels, stem = BACKBONES[backbone]
    model = build(model_cfg(task, backbone))
    model.train()

    for path in INFERRED_IN_CHANNELS[task]:
        assert model.get_submodule(path).in_channels == channels, path

    conv_name, conv = first_conv(model.backbone)
    assert conv_name.split('.')[0] == stem, conv_name
    stem_before = conv.weight.detach().clone()
    heads = [model.get_submodule(path) for path in HEAD_MODULES[task]]
    heads_before = [snapshot(head) for head in heads]

    torch.manual_seed(0)
    log_vars = sgd_step(model, make_batch(task, size))

    check_log_vars(log_vars, LOSS_KEYS[task])
    assert not torch.equal(stem_before, conv.weight.detach()), conv_name
    for path, head, before in zip(HEAD_MODULES[task], heads, heads_before):
        assert changed(before, head), path
    if task in ('TDL', 'RSPNet'):
        # the step's keys went into the queue after the optimizer step
        assert model.queue.ptr.item() == 2 and model.queue.num_staged == 0


# VideoMAE is not crossed with the zoo: it drops ~90% of the patch tokens
# (tube masking) and encodes only the visible ones, which needs a ViT-style
# token sequence (``vit_visible_tokens``); a CNN has no tokens to drop, and
# VideoMAE refuses non-ViT backbones at build time.
VIDEOMAE_CONFIGS = {
    'VideoMAE-vit_tiny_p8':
    'configs/videomae/videomae_vit-tiny-p8_*8x32x32*.py',
}


@pytest.mark.parametrize(
    'config', list(VIDEOMAE_CONFIGS.values()), ids=list(VIDEOMAE_CONFIGS))
def test_videomae_vit_step(config):
    paths = glob.glob(osp.join(REPO, config))
    assert len(paths) == 1, paths
    cfg = Config.fromfile(paths[0]).model.to_dict()
    model = build(cfg)
    model.train()
    vit = cfg['backbone']
    size = (vit['num_frames'], vit['img_size'], vit['img_size'])
    grid = (size[0] // vit['tubelet_size'],
            size[1] // vit['patch_size'], size[2] // vit['patch_size'])
    gen = torch.Generator().manual_seed(0)
    masks = torch.from_numpy(
        tube_mask(grid, 0.9, 2, rng=np.random.default_rng(0)))
    samples = []
    for i, mask in enumerate(masks):
        samples.append(ActionDataSample().set_gt_labels(i))
        samples[-1].set_field(mask[None], 'mask')  # (clips, tokens)
    data = dict(
        inputs=[
            torch.randint(0, 256, (1, 3, *size), generator=gen).float()
            for _ in range(2)
        ],
        data_samples=samples)

    conv_name, conv = first_conv(model.backbone)
    assert conv_name.startswith('patch_embed'), conv_name
    stem_before = conv.weight.detach().clone()
    decoder_before = snapshot(model.neck)

    torch.manual_seed(0)
    log_vars = sgd_step(model, data)

    check_log_vars(log_vars, {'loss_pixel'})
    assert not torch.equal(stem_before, conv.weight.detach()), conv_name
    # the pixel head is parameter-free: the decoder (neck) is the head
    assert changed(decoder_before, model.neck)
