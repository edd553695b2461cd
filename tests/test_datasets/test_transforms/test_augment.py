"""Tests of mmssl.datasets.transforms.augment / .color (per-clip augmentation).

Frames are tiny (16x16). The "coded" frames carry a horizontal gradient in
channel 0, a vertical gradient in channel 1 and the frame index in channel 2,
so crops/flips are visible in channels 0-1 and the frame order in channel 2
(a constant channel stays constant under crop, flip and bilinear resize).
"""
import random

import cv2
import numpy as np
import pytest
from mmengine.registry import DefaultScope

import mmaction.datasets  # noqa: F401  (registers MMAction2's transforms)
import mmssl.datasets.transforms.augment  # noqa: F401
from mmssl.datasets.transforms.augment import (ClipChannelDrop,
                                               ClipColorJitter, ClipCutout,
                                               ClipGamma, ClipGaussianBlur,
                                               ClipGrayscale, PerClipTransform)
from mmssl.registry import TRANSFORMS

H = W = 16


def coded_frames(num_frames, h=H, w=W):
    ys, xs = np.mgrid[0:h, 0:w]
    frames = []
    for i in range(num_frames):
        f = np.empty((h, w, 3), np.uint8)
        f[..., 0] = xs * 15
        f[..., 1] = ys * 15
        f[..., 2] = i
        frames.append(f)
    return frames


def make_results(num_clips, clip_len, frames=None):
    if frames is None:
        frames = coded_frames(num_clips * clip_len)
    return dict(
        imgs=frames,
        num_clips=num_clips,
        clip_len=clip_len,
        img_shape=(H, W),
        original_shape=(H, W),
        modality='RGB')


def noise_sample(num_clips, clip_len, seed=123):
    """Every frame of the sample is the same random RGB image (copies)."""
    img = np.random.RandomState(seed).randint(0, 256, (H, W, 3), np.uint8)
    return make_results(num_clips, clip_len,
                        [img.copy() for _ in range(num_clips * clip_len)])


def clips_of(results):
    t = results['clip_len']
    imgs = list(results['imgs'])
    return [np.stack(imgs[i:i + t]) for i in range(0, len(imgs), t)]


def assert_consistent_within_clips(results, channels=slice(None)):
    """Frames of one clip are equal (coded frames: pass channels=CODE)."""
    for clip in clips_of(results):
        for f in clip[1:]:
            np.testing.assert_array_equal(f[..., channels],
                                          clip[0][..., channels])


CODE = slice(0, 2)  # channels holding the spatial code of coded frames


def assert_order(results):
    for i, f in enumerate(results['imgs']):
        assert (f[..., 2] == i).all(), f'frame {i} moved'


def seed(s=0):
    np.random.seed(s)
    random.seed(s)  # MMAction2's RandomResizedCrop uses `random` for offsets


def crop_pipeline(size=8, flip=True):
    ts = [
        dict(type='RandomResizedCrop'),
        dict(type='Resize', scale=(size, size), keep_ratio=False)
    ]
    return ts + [dict(type='Flip', flip_ratio=0.5)] if flip else ts


def test_registry_resolves_mmaction_and_own_types():
    from mmaction.datasets.transforms import Flip, Resize
    t = TRANSFORMS.build(dict(type='PerClipTransform', transforms=[
        dict(type='Flip'), dict(type='Resize', scale=(8, 8))]))
    assert isinstance(t.transforms[0], Flip)
    assert isinstance(t.transforms[1], Resize)  # MMAction2's, not MMCV's
    with DefaultScope.overwrite_default_scope('mmssl'):
        from mmcv.transforms import Compose
        pipe = Compose([dict(type='PerClipTransform',
                             transforms=[dict(type='ClipGrayscale', p=1.)])])
        out = pipe(make_results(2, 2))
    assert all(f[..., 0].tolist() == f[..., 2].tolist() for f in out['imgs'])


def test_flip_per_clip():
    seed(0)
    t = PerClipTransform([dict(type='Flip', flip_ratio=0.5)])
    out = t(make_results(12, 4))
    assert_order(out)
    assert_consistent_within_clips(out, CODE)
    flips = [p['flip'] for p in out['clip_params']]
    assert any(flips) and not all(flips)
    for clip, flipped in zip(clips_of(out), flips):
        step = np.diff(clip[0][0, :, 0].astype(int))
        assert (step < 0).all() if flipped else (step > 0).all()
    assert 'flip' not in out and out['img_shape'] == (H, W)
    assert all(p['flip_direction'] == 'horizontal' for p in out['clip_params'])


@pytest.mark.parametrize('as_array', [False, True])
def test_crop_resize_flip_per_clip(as_array):
    seed(1)
    res = make_results(10, 3)
    if as_array:
        res['imgs'] = np.stack(res['imgs'])
    out = PerClipTransform(crop_pipeline(8))(res)
    assert isinstance(out['imgs'], np.ndarray) == as_array
    assert len(out['imgs']) == 30 and out['imgs'][0].shape == (8, 8, 3)
    assert all(f.dtype == np.uint8 for f in out['imgs'])
    assert out['img_shape'] == (8, 8) and out['clip_len'] == 3
    assert out['num_clips'] == 10
    assert_order(out)
    assert_consistent_within_clips(out, CODE)
    boxes = {tuple(p['crop_bbox']) for p in out['clip_params']}
    assert len(boxes) > 1
    clips = clips_of(out)
    assert len({c[0, ..., :2].tobytes() for c in clips}) > 1
    for key in ('crop_bbox', 'flip', 'scale_factor', 'crop_quadruple'):
        assert key not in out
    assert len(out['clip_params']) == 10


@pytest.mark.parametrize('kwargs', [dict(clips_per_group=2),
                                    dict(num_groups=3)])
def test_groups_share_one_draw(kwargs):
    seed(2)
    res = make_results(6, 2)
    for i in range(0, 12, 4):  # make both clips of a group the same content
        res['imgs'][i + 2:i + 4] = [f.copy() for f in res['imgs'][i:i + 2]]
    out = PerClipTransform(crop_pipeline(8), **kwargs)(res)
    clips, params = clips_of(out), out['clip_params']
    for g in range(3):
        a, b = clips[2 * g], clips[2 * g + 1]
        np.testing.assert_array_equal(a, b)
        assert tuple(params[2 * g]['crop_bbox']) == tuple(
            params[2 * g + 1]['crop_bbox'])
        assert params[2 * g]['flip'] == params[2 * g + 1]['flip']
    assert len({tuple(p['crop_bbox']) for p in params}) > 1


def test_group_arguments_validated():
    with pytest.raises(ValueError, match='not both'):
        PerClipTransform([dict(type='Flip')], clips_per_group=2, num_groups=2)
    t = PerClipTransform([dict(type='Flip')], clips_per_group=2)
    with pytest.raises(ValueError, match='num_clips=3'):
        t(make_results(3, 2))


def test_frame_count_mismatch_error():
    res = make_results(2, 4)
    res['imgs'] = res['imgs'][:7]
    with pytest.raises(ValueError, match=r'7 frames.*2 \* 4 = 8'):
        PerClipTransform([dict(type='Flip')])(res)


def test_size_mismatch_names_transform():
    seed(3)
    t = PerClipTransform([dict(type='RandomResizedCrop'),
                          dict(type='Flip')])
    with pytest.raises(ValueError, match='RandomResizedCrop'):
        t(make_results(8, 2))


def test_lazy_must_be_fused_inside():
    seed(4)
    lazy = [dict(type='RandomResizedCrop', lazy=True),
            dict(type='Resize', scale=(8, 8), keep_ratio=False, lazy=True)]
    with pytest.raises(ValueError, match='Fuse'):
        PerClipTransform(lazy)(make_results(2, 2))
    out = PerClipTransform(lazy + [dict(type='Fuse')])(make_results(4, 2))
    assert out['imgs'][0].shape == (8, 8, 3) and 'lazy' not in out
    assert_order(out)
    assert_consistent_within_clips(out, CODE)


def test_shared_frame_objects_are_not_flipped_twice():
    frame = coded_frames(1)[0]
    res = make_results(2, 2, [frame, frame, frame, frame])
    out = PerClipTransform([dict(type='Flip', flip_ratio=1.0)])(res)
    for f in out['imgs']:
        np.testing.assert_array_equal(f[..., 0], coded_frames(1)[0][:, ::-1,
                                                                     0])


def test_clip_params_accumulate_over_wrappers():
    seed(5)
    res = PerClipTransform([dict(type='Flip')])(make_results(3, 2))
    res = PerClipTransform([dict(type='ClipGrayscale', p=0.5)])(res)
    assert len(res['clip_params']) == 3
    assert all({'flip', 'grayscale'} <= set(p) for p in res['clip_params'])


def test_determinism_under_seed():

    def run(s):
        seed(s)
        t = PerClipTransform(crop_pipeline(8) + [
            dict(type='ClipColorJitter'), dict(type='ClipGrayscale'),
            dict(type='ClipGaussianBlur'), dict(type='ClipGamma'),
            dict(type='ClipCutout'), dict(type='ClipChannelDrop')
        ])
        return np.stack(t(noise_sample(6, 3))['imgs'])

    np.testing.assert_array_equal(run(7), run(7))
    assert not np.array_equal(run(7), run(8))


RANDOM_OPS = [
    dict(type='ClipColorJitter', p=1.0),
    dict(type='ClipGaussianBlur', p=1.0),
    dict(type='ClipGamma', p=1.0),
    dict(type='ClipCutout', p=1.0),
    dict(type='ClipChannelDrop', p=1.0),
]


@pytest.mark.parametrize('cfg', RANDOM_OPS, ids=lambda c: c['type'])
def test_clip_ops_consistent_within_and_vary_across_clips(cfg):
    seed(9)
    res = noise_sample(8, 4)
    out = PerClipTransform([cfg])(res)
    assert isinstance(out['imgs'], list) and len(out['imgs']) == 32
    assert all(f.dtype == np.uint8 and f.shape == (H, W, 3)
               for f in out['imgs'])
    assert_consistent_within_clips(out)
    clips = clips_of(out)
    assert len({c[0].tobytes() for c in clips}) > 1


def test_ops_record_params_and_p0_is_identity():
    for cls, key in [(ClipColorJitter, 'color_jitter'),
                     (ClipGrayscale, 'grayscale'),
                     (ClipGaussianBlur, 'blur_sigma'), (ClipGamma, 'gamma'),
                     (ClipCutout, 'cutout_box'),
                     (ClipChannelDrop, 'dropped_channel')]:
        res = noise_sample(1, 3)
        ref = [f.copy() for f in res['imgs']]
        out = cls(p=0.0)(res)
        assert out[key] in (None, False)
        for a, b in zip(out['imgs'], ref):
            np.testing.assert_array_equal(a, b)


def test_grayscale_three_equal_channels():
    out = ClipGrayscale(p=1.0)(noise_sample(1, 3))
    for f in out['imgs']:
        assert f.dtype == np.uint8
        np.testing.assert_array_equal(f[..., 0], f[..., 1])
        np.testing.assert_array_equal(f[..., 0], f[..., 2])
    ref = cv2.cvtColor(noise_sample(1, 1)['imgs'][0], cv2.COLOR_RGB2GRAY)
    assert np.abs(out['imgs'][0][..., 0].astype(int) - ref).max() <= 1


def test_cutout_same_box_in_every_frame():
    seed(10)
    frames = [np.full((H, W, 3), 200, np.uint8) for _ in range(8)]
    out = PerClipTransform([dict(type='ClipCutout', p=1.0, fill=0)])(
        make_results(2, 4, frames))
    for clip, params in zip(clips_of(out), out['clip_params']):
        x1, y1, x2, y2 = params['cutout_box']
        mask = np.zeros((H, W), bool)
        mask[y1:y2, x1:x2] = True
        assert 0.02 * H * W * 0.5 <= mask.sum() <= 0.2 * H * W * 1.5
        for f in clip:
            assert (f[mask] == 0).all() and (f[~mask] == 200).all()


def test_channel_drop_zeroes_one_channel_per_clip():
    seed(11)
    out = PerClipTransform([dict(type='ClipChannelDrop', p=1.0)])(
        noise_sample(12, 2))
    chans = [p['dropped_channel'] for p in out['clip_params']]
    assert len(set(chans)) > 1
    for clip, ch in zip(clips_of(out), chans):
        assert (clip[..., ch] == 0).all()
        others = [c for c in range(3) if c != ch]
        assert clip[..., others].any()


def test_gamma_lut():
    res = make_results(1, 2, [np.full((4, 4, 3), 64, np.uint8)] * 2)
    out = ClipGamma(gamma=(2.0, 2.0), p=1.0)(res)
    assert (out['imgs'][0] == round(255 * (64 / 255)**2)).all()
    res = noise_sample(1, 2)
    ref = res['imgs'][0].copy()
    np.testing.assert_array_equal(
        ClipGamma(gamma=(1.0, 1.0), p=1.0)(res)['imgs'][0], ref)


def test_blur_matches_per_frame_opencv():
    res = noise_sample(1, 3)
    ref = [cv2.GaussianBlur(f, (0, 0), 1.3) for f in res['imgs']]
    out = ClipGaussianBlur(sigma=1.3, p=1.0)(res)
    assert out['blur_sigma'] == 1.3
    for a, b in zip(out['imgs'], ref):
        np.testing.assert_array_equal(a, b)
    const = make_results(1, 2, [np.full((H, W, 3), 77, np.uint8)] * 2)
    assert (np.stack(ClipGaussianBlur(p=1.0)(const)['imgs']) == 77).all()


def test_color_jitter_single_ops():
    img = np.full((2, 2, 3), (200, 40, 40), np.uint8)

    def jitter(**kw):
        kw = dict(dict(brightness=0, contrast=0, saturation=0, hue=0), **kw)
        return ClipColorJitter(p=1.0, **kw)(make_results(1, 2, [img] * 2))

    out = jitter(brightness=(1.5, 1.5))
    assert out['imgs'][0][0, 0].tolist() == [255, 60, 60]
    assert out['color_jitter']['contrast'] is None
    gray = jitter(saturation=(0.0, 0.0))['imgs'][0][0, 0]
    assert gray[0] == gray[1] == gray[2]
    flat = jitter(contrast=(0.0, 0.0))['imgs'][0]
    assert len(np.unique(flat)) == 1
    red = np.full((2, 2, 3), (255, 0, 0), np.uint8)
    out = ClipColorJitter(brightness=0, contrast=0, saturation=0,
                          hue=(1 / 3, 1 / 3), p=1.0)(
                              make_results(1, 1, [red]))
    assert np.abs(out['imgs'][0][0, 0].astype(int) - [0, 255, 0]).max() <= 1
    neg = ClipColorJitter(hue=(-0.1, -0.1), p=1.0)(noise_sample(1, 2))
    assert neg['imgs'][0].dtype == np.uint8  # no numpy-2 overflow


def test_color_jitter_order_is_drawn_per_call():
    seed(12)
    t = ClipColorJitter(p=1.0)
    orders = {tuple(t(noise_sample(1, 1))['color_jitter']['order'])
              for _ in range(20)}
    assert len(orders) > 1


def test_tclr_style_random_choice_inside_wrapper():
    """TCLR: grayscale OR channel drop (exclusive), via mmcv wrappers."""
    seed(13)
    cfg = dict(type='PerClipTransform', transforms=[
        dict(type='RandomApply', prob=0.9, transforms=[
            dict(type='RandomChoice', transforms=[
                [dict(type='ClipGrayscale', p=1.0),
                 dict(type='ClipGamma', gamma=(0.75, 1.25), p=0.75)],
                [dict(type='ClipChannelDrop', p=1.0)]])])])
    with DefaultScope.overwrite_default_scope('mmssl'):
        out = TRANSFORMS.build(cfg)(noise_sample(10, 2))
    assert_consistent_within_clips(out)
    for p in out['clip_params']:
        assert not (p.get('grayscale') and p.get('dropped_channel')
                    is not None)
