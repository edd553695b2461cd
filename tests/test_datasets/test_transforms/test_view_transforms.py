"""Asymmetric view augmentation (CVRL: blur p 1.0 / 0.1, solarisation on
view 2), solarisation values and the small-angle clip rotation."""
import os.path as osp

import numpy as np
import pytest
from mmengine.config import Config

import mmssl.datasets  # noqa: F401
from mmssl.datasets.transforms.per_view import PerViewTransform
from mmssl.datasets.transforms.rotate import (ClipRandomRotation,
                                              rotate_frames)
from mmssl.datasets.transforms.solarize import ClipSolarize, solarize

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))
CVRL = osp.join(REPO, 'configs/cvrl/'
                'cvrl_r2plus1d-vcop_8xb64-16x112x112-2clips-200e_k400-50k.py')


def two_views(clip_len=2, h=8, w=8):
    rng = np.random.default_rng(0)
    frames = [
        rng.integers(0, 256, (h, w, 3), dtype=np.uint8)
        for _ in range(2 * clip_len)
    ]
    return dict(imgs=frames, num_clips=2, clip_len=clip_len,
                img_shape=(h, w))


# ------------------------------------------------------------ solarisation


def test_solarize_values_match_the_released_rule():
    """x < 0.5 ? x : 1 - x on [0, 1] -> x < 127.5 ? x : 255 - x."""
    x = np.array([0, 1, 127, 128, 200, 255], np.uint8).reshape(1, 1, 6, 1)
    assert solarize(x).ravel().tolist() == [0, 1, 127, 127, 55, 0]
    f = np.array([0., 127.4, 127.5, 254.], np.float32)
    assert solarize(f).tolist() == pytest.approx([0., 127.4, 127.5, 1.])
    assert solarize(x, threshold=1.0).ravel().tolist() == [
        0, 1, 127, 128, 200, 0
    ]


def test_clip_solarize_extreme_probabilities():
    frames = [np.full((2, 2, 3), 200, np.uint8) for _ in range(3)]
    out = ClipSolarize(p=1.0)(dict(imgs=list(frames)))
    assert out['solarized'] and all((f == 55).all() for f in out['imgs'])
    out = ClipSolarize(p=0.0)(dict(imgs=list(frames)))
    assert not out['solarized'] and all(
        (f == 200).all() for f in out['imgs'])


# --------------------------------------------------------------- per view


def test_per_view_extreme_probabilities_touch_only_their_view():
    results = two_views()
    before = [f.copy() for f in results['imgs']]
    out = PerViewTransform([
        [dict(type='ClipGaussianBlur', p=1.0, kernel_size=3)],
        [dict(type='ClipGaussianBlur', p=0.0, kernel_size=3)],
    ])(results)
    assert out['clip_params'][0]['blur_sigma'] is not None
    assert out['clip_params'][1]['blur_sigma'] is None
    assert not all(np.array_equal(a, b) for a, b in zip(out['imgs'][:2],
                                                       before[:2]))
    assert all(np.array_equal(a, b) for a, b in zip(out['imgs'][2:],
                                                   before[2:]))
    assert 'blur_sigma' not in out  # per-clip values live in clip_params


def test_per_view_empty_pipeline_and_errors():
    results = two_views()
    before = [f.copy() for f in results['imgs']]
    out = PerViewTransform([[], [dict(type='ClipSolarize', p=1.0)]])(results)
    assert all(np.array_equal(a, b) for a, b in zip(out['imgs'][:2],
                                                   before[:2]))
    assert out['clip_params'] == [{}, {'solarized': True}]
    with pytest.raises(ValueError, match='num_clips=2'):
        PerViewTransform([[]])(two_views())
    with pytest.raises(ValueError, match='photometric'):
        PerViewTransform([[dict(type='Resize', scale=(4, 4),
                                keep_ratio=False)], []])(two_views())


def test_cvrl_config_view_probabilities_by_seeded_frequency():
    """The paper config's views: blur always on view 1, p 0.1 on view 2,
    solarisation p 0.2 on view 2 only (released TF pipeline)."""
    cfg = Config.fromfile(CVRL)
    step = [t for t in cfg.train_pipeline
            if t['type'] == 'PerViewTransform'][0]
    views = PerViewTransform(step['view_transforms'])
    blur = np.zeros(2)
    solar = np.zeros(2)
    trials = 400
    for seed in range(trials):
        np.random.seed(seed)
        params = views(two_views(clip_len=1, h=12, w=12))['clip_params']
        for v in range(2):
            blur[v] += params[v]['blur_sigma'] is not None
            solar[v] += bool(params[v].get('solarized', False))
    assert blur[0] == trials and solar[0] == 0
    # binomial(400, 0.1): mean 40, sd 6; (400, 0.2): mean 80, sd 8
    assert 16 <= blur[1] <= 64
    assert 48 <= solar[1] <= 112
    assert cfg.sync_bn == 'torch'
    assert cfg.optim_wrapper.optimizer == dict(
        type='SGD', lr=0.32 * 512 / 1024, momentum=0.9, weight_decay=1e-6)


# --------------------------------------------------------------- rotation


def test_rotate_frames_quarter_turn_matches_rot90():
    frame = np.arange(5 * 5 * 3, dtype=np.float32).reshape(5, 5, 3)
    out = rotate_frames(frame[None], 90.0)[0]
    # anticlockwise as displayed: np.rot90 of (H, W)
    assert np.allclose(out, np.rot90(frame, 1, axes=(0, 1)), atol=1e-3)


def test_clip_random_rotation_one_angle_per_clip():
    frames = [np.full((9, 9, 3), 100, np.uint8) for _ in range(3)]
    np.random.seed(0)
    out = ClipRandomRotation(degrees=10)(dict(imgs=list(frames)))
    angle = out['rotation_angle']
    assert -10 <= angle <= 10 and angle != 0
    # the same warp for every frame: identical outputs from identical input
    assert all(np.array_equal(out['imgs'][0], f) for f in out['imgs'][1:])
    # centre kept, corners filled with 0 for a large angle
    big = ClipRandomRotation(degrees=(45, 45))(dict(imgs=list(frames)))
    assert big['rotation_angle'] == 45
    assert big['imgs'][0][4, 4, 0] == 100 and big['imgs'][0][0, 0, 0] == 0
    none = ClipRandomRotation(p=0.0)(dict(imgs=list(frames)))
    assert none['rotation_angle'] is None
    with pytest.raises(ValueError, match='degrees'):
        ClipRandomRotation(degrees=-1)


def test_cvrl_paper_pipeline_runs_on_a_video(tmp_path):
    """The paper config's whole train pipeline (per-clip crop/jitter, then
    per-view blur/solarisation) on a generated video."""
    from mmengine.dataset import Compose
    from mmengine.registry import init_default_scope
    from video_fixtures import write_index_video

    init_default_scope('mmssl')
    video = write_index_video(str(tmp_path / 'v.avi'), 50, size=32)
    np.random.seed(0)
    out = Compose(Config.fromfile(CVRL).train_pipeline)(
        dict(filename=video, label=0, start_index=0, modality='RGB'))
    assert tuple(out['inputs'].shape) == (2, 3, 16, 112, 112)


def test_rotnet_paper_pipeline_runs_on_a_video(tmp_path):
    from mmengine.dataset import Compose
    from mmengine.registry import init_default_scope
    from video_fixtures import write_index_video

    init_default_scope('mmssl')
    cfg = Config.fromfile(
        osp.join(REPO, 'configs/rotnet/'
                 'rotnet_r2plus1d-vcop_1xb8-16x112x112-2rot-200e_k400-50k.py'))
    video = write_index_video(str(tmp_path / 'v.avi'), 30, size=32)
    np.random.seed(0)
    out = Compose(cfg.train_pipeline)(
        dict(filename=video, label=0, start_index=0, modality='RGB'))
    assert tuple(out['inputs'].shape) == (1, 3, 16, 112, 112)
