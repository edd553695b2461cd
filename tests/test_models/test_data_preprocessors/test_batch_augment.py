"""Batched per-clip augmentations in the data preprocessor (issue 16 item 8):
equal to the CPU ``Clip*`` transforms for the same parameters, one draw per
clip, training only, and usable from a config and under residual frames.

Tolerances: the CPU transforms round their float result to uint8 once at
the end; the batch ops keep floats, so they differ by at most 0.5 (+ float
error). OpenCV's uint8 Gaussian blur also rounds between its two passes
(fixed point): up to 2.0 there; on float32 frames it agrees to 1e-3.
"""
import os.path as osp

import numpy as np
import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.registry import init_default_scope

import mmssl.datasets  # noqa: F401
import mmssl.models  # noqa: F401
from mmssl.registry import MODELS, TRANSFORMS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))
GPU_AUG_CONFIG = osp.join(
    REPO, 'configs', 'analysis', 'batch_augment',
    'cvrl_r3d-tiny_1xb16-8x32x32-2clips-40e_synthmotion_gpu-aug.py')
ROUNDING = 0.5 + 1e-3
MEAN, STD = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]


def build(cfg):
    init_default_scope('mmssl')
    return MODELS.build(cfg)


def cpu_clip(seed, t=3, h=9, w=11):
    """A uint8 (T, H, W, 3) clip: random colours, grey and tied pixels."""
    rng = np.random.RandomState(seed)
    clip = rng.randint(0, 256, (t, h, w, 3)).astype(np.uint8)
    clip[:, :2, :2] = rng.randint(0, 256)  # grey: hue undefined
    clip[:, 2, :2] = (200, 200, 50)  # ties for the largest channel
    clip[:, 3, :2] = (10, 90, 90)
    clip[:, -1, -1] = 255
    return clip


def to_batch(clips):
    """list of (T, H, W, 3) -> (n, 3, T, H, W) float32."""
    return torch.from_numpy(np.stack(clips)).permute(0, 4, 1, 2, 3).float()


def run_cpu(cfg, clip, seed):
    np.random.seed(seed)
    results = TRANSFORMS.build(cfg)(dict(imgs=clip.copy(), modality='RGB'))
    return results


def assert_close_to_cpu(out, cpu_clips, tol):
    diff = (out - to_batch(cpu_clips)).abs().max().item()
    assert diff <= tol, diff


def test_color_jitter_equals_cpu_for_its_drawn_params():
    cpu_cfg = dict(type='ClipColorJitter', brightness=0.6, contrast=0.6,
                   saturation=0.6, hue=0.4, p=1.0)
    op = build(dict(cpu_cfg, type='BatchClipColorJitter'))
    clips, outs, records = [], [], []
    for seed in range(12):  # 12 random orders and factor sets
        clip = cpu_clip(seed)
        res = run_cpu(cpu_cfg, clip, seed)
        clips.append(clip)
        outs.append(res['imgs'])
        records.append(res['color_jitter'])
    skip = torch.arange(12) % 4 == 3  # clips whose draw was "no jitter"
    outs = [c if s else o for c, o, s in zip(clips, outs, skip.tolist())]
    params = dict(
        apply=~skip,
        order=torch.tensor([[op.OPS.index(n) for n in r['order']]
                            for r in records]))
    for name in op.OPS:
        params[name] = torch.tensor([r[name] for r in records])
    out = op.apply_params(to_batch(clips), params)
    assert_close_to_cpu(out, outs, ROUNDING)


@pytest.mark.parametrize('cpu_cfg, batch_type, key, tol', [
    (dict(type='ClipGrayscale', p=1.0), 'BatchClipGrayscale', None,
     ROUNDING),
    (dict(type='ClipGamma', gamma=(0.5, 2.0), p=1.0), 'BatchClipGamma',
     'gamma', ROUNDING),
    (dict(type='ClipGaussianBlur', sigma=(0.1, 2.0), p=1.0),
     'BatchClipGaussianBlur', 'blur_sigma', 2.0),
    (dict(type='ClipGaussianBlur', sigma=(0.3, 1.5), kernel_size=5, p=1.0),
     'BatchClipGaussianBlur', 'blur_sigma', 2.0),
    (dict(type='Flip', flip_ratio=1.0), 'BatchClipFlip', None, 0.0),
])
def test_single_param_ops_equal_cpu(cpu_cfg, batch_type, key, tol):
    _compare_single_param_op(cpu_cfg, batch_type, key, tol, np.uint8)


def test_blur_equals_opencv_on_float_frames():
    # float32 frames: OpenCV blurs in float (no rounding between passes);
    # a fixed kernel size, since OpenCV sizes float kernels at ~8 sigma
    cfg = dict(type='ClipGaussianBlur', sigma=(0.3, 1.5), kernel_size=7,
               p=1.0)
    _compare_single_param_op(cfg, 'BatchClipGaussianBlur', 'blur_sigma',
                             1e-3, np.float32)


def _compare_single_param_op(cpu_cfg, batch_type, key, tol, dtype):
    kwargs = {k: v for k, v in cpu_cfg.items() if k not in ('type',
                                                            'flip_ratio')}
    op = build(dict(kwargs, type=batch_type))
    clips, outs, values = [], [], []
    for seed in range(6):
        clip = cpu_clip(seed, h=16, w=17).astype(dtype)
        res = run_cpu(cpu_cfg, clip, seed)
        clips.append(clip)
        outs.append(np.asarray(res['imgs']))
        values.append(res[key] if key else None)
    params = dict(apply=torch.ones(6, dtype=torch.bool))
    if key:
        params[key.split('_')[-1]] = torch.tensor(values)
    assert_close_to_cpu(op.apply_params(to_batch(clips), params), outs, tol)


@pytest.mark.parametrize('cfg', [
    dict(type='BatchClipColorJitter', p=1.0),
    dict(type='BatchClipGamma', p=1.0),
    dict(type='BatchClipGaussianBlur', sigma=(0.5, 2.0), p=1.0),
])
def test_one_draw_per_clip_constant_over_frames(cfg):
    op = build(cfg)
    frame = torch.from_numpy(cpu_clip(0, t=1, h=12, w=12)).permute(3, 0, 1, 2)
    x = frame.float().expand(4, 2, 3, 5, 12, 12)  # (B, V, C, T, H, W)
    out = op(x, torch.Generator().manual_seed(0))
    assert out.shape == x.shape
    # every frame of a clip got the same parameters ...
    torch.testing.assert_close(out, out[..., :1, :, :].expand_as(out))
    # ... and every clip (each view of each sample) its own
    flat = out.reshape(8, -1)
    assert all(not torch.allclose(flat[i], flat[j]) for i in range(8)
               for j in range(i))


def test_flip_and_grayscale_decide_per_clip():
    x = torch.arange(4 * 3 * 3 * 2 * 5, dtype=torch.float32).view(
        4, 3, 3, 2, 1, 5)  # (B, V, C, T, H, W), asymmetric in width
    gen = torch.Generator().manual_seed(3)
    out = build(dict(type='BatchClipFlip', p=0.5))(x, gen).view(12, -1)
    flipped = [torch.equal(o, f) for o, f in zip(
        out, x.flip(-1).view(12, -1))]
    kept = [torch.equal(o, f) for o, f in zip(out, x.view(12, -1))]
    assert all(a != b for a, b in zip(flipped, kept))  # whole clips only
    assert 0 < sum(flipped) < 12
    gray = build(dict(type='BatchClipGrayscale', p=0.5))(x * 2, gen)
    equal_channels = (gray[..., :1, :, :, :] == gray).all(-1).all(-1).all(
        -1).all(-1).flatten()
    assert 0 < int(equal_channels.sum()) < 12


@pytest.mark.parametrize('type_', [
    'BatchClipColorJitter', 'BatchClipGrayscale', 'BatchClipGamma',
    'BatchClipGaussianBlur', 'BatchClipFlip'
])
def test_probability_zero_is_identity_and_one_always_applies(type_):
    x = to_batch([cpu_clip(s, h=12, w=12) for s in range(6)])
    assert build(dict(type=type_, p=0.0))(x) is x
    op = build(dict(type=type_, p=1.0))
    assert bool(op.draw(1000, x.device)['apply'].all())
    out = op(x, torch.Generator().manual_seed(0))
    changed = (out - x).abs().flatten(1).amax(1) > 0
    assert bool(changed.all())


@pytest.mark.parametrize('dtype', [torch.float32, torch.float64])
def test_device_and_dtype_preserved(dtype):
    pre = build(
        dict(
            type='BatchAugmentPreprocessor',
            mean=MEAN,
            std=STD,
            format_shape='NCTHW',
            batch_augments=[
                dict(type='BatchClipFlip'),
                dict(type='BatchClipColorJitter', p=1.0),
                dict(type='BatchClipGrayscale', p=0.5),
                dict(type='BatchClipGamma'),
                dict(type='BatchClipGaussianBlur', sigma=(0.1, 1.0)),
            ]))
    x = torch.rand(2, 2, 3, 4, 8, 8, dtype=dtype) * 2 - 1
    out = pre.augment(x)
    assert out.dtype == dtype and out.device == x.device
    assert out.shape == x.shape
    lo = (torch.tensor(0.) - pre.mean) / pre.std
    hi = (torch.tensor(255.) - pre.mean) / pre.std
    assert bool(((out >= lo - 1e-4) & (out <= hi + 1e-4)).all())


def _data(b=3, v=2, t=4, size=8, seed=0):
    gen = torch.Generator().manual_seed(seed)
    inputs = [
        torch.randint(0, 256, (v, 3, t, size, size), generator=gen,
                      dtype=torch.uint8) for _ in range(b)
    ]
    return dict(inputs=inputs, data_samples=[ActionDataSample()] * b)


def test_eval_untouched_and_train_matches_cpu_normalisation():
    aug = dict(type='BatchClipFlip', p=1.0)
    plain = build(dict(type='ActionDataPreprocessor', mean=MEAN, std=STD,
                       format_shape='NCTHW', to_rgb=True))
    pre = build(dict(type='BatchAugmentPreprocessor', mean=MEAN, std=STD,
                     format_shape='NCTHW', to_rgb=True, batch_augments=[aug]))
    ref = plain(_data(), training=False)['inputs']
    assert torch.equal(pre(_data(), training=False)['inputs'], ref)
    # a flip of every clip = flipping the uint8 input before MMAction2
    flipped = _data()
    flipped['inputs'] = [x.flip(-1) for x in flipped['inputs']]
    torch.testing.assert_close(
        pre(_data(), training=True)['inputs'],
        plain(flipped, training=True)['inputs'], atol=1e-5, rtol=0)
    empty = build(dict(type='BatchAugmentPreprocessor', mean=MEAN, std=STD,
                       format_shape='NCTHW', to_rgb=True))
    assert torch.equal(empty(_data(), training=True)['inputs'], ref)


def test_rejects_bad_settings():
    with pytest.raises(ValueError, match='NCTHW'):
        build(dict(type='BatchAugmentPreprocessor', format_shape='NCHW',
                   batch_augments=[dict(type='BatchClipFlip')]))
    with pytest.raises(ValueError, match='p must be'):
        build(dict(type='BatchClipGrayscale', p=1.5))
    with pytest.raises(ValueError, match='RGB'):
        build(dict(type='BatchClipGrayscale', p=1.0))(torch.zeros(
            1, 2, 1, 4, 4))
    with pytest.raises(ValueError, match='frames larger'):
        build(dict(type='BatchClipGaussianBlur', sigma=2.0, p=1.0))(
            torch.zeros(1, 3, 1, 4, 4))


def test_gpu_aug_config_trains_one_step():
    cfg = Config.fromfile(GPU_AUG_CONFIG)
    pipeline = [t['type'] for t in cfg.train_dataloader.dataset.pipeline]
    assert 'PerClipTransform' in pipeline
    model = build(cfg.model).to('cpu')  # Module.to/apply walk the augments
    model.train()
    assert len(model.data_preprocessor.batch_augments) == 5
    data = _data(b=4, v=2, t=8, size=32)
    out = model.data_preprocessor(data, training=True)
    assert out['inputs'].shape == (4, 2, 3, 8, 32, 32)
    losses = model(**out, mode='loss')
    loss = sum(v for k, v in losses.items() if 'loss' in k)
    loss.backward()
    assert torch.isfinite(loss)


def test_residual_frames_after_batch_augments():
    kwargs = dict(mean=MEAN, std=STD, format_shape='NCTHW')
    residual = build(dict(type='ResidualFramesPreprocessor', **kwargs))
    flipping = build(dict(type='ResidualFramesPreprocessor',
                          batch_augments=[dict(type='BatchClipFlip', p=1.0)],
                          **kwargs))
    plain = residual(_data(), training=True)['inputs']
    out = flipping(_data(), training=True)['inputs']
    assert out.shape == plain.shape == (3, 2, 3, 3, 8, 8)
    torch.testing.assert_close(out, plain.flip(-1), atol=1e-5, rtol=0)
    assert torch.equal(
        flipping(_data(), training=False)['inputs'],
        residual(_data(), training=False)['inputs'])
