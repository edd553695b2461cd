"""Gaussian noise, motion jitter and temporal pretext labels (multi-task
SSL, 3.2 / 3.6)."""
import numpy as np

from mmssl.datasets.transforms import (ClipGaussianNoise, ClipMotionJitter,
                                       TemporalPretextLabels)


def test_gaussian_noise_has_the_drawn_std_and_p0_is_identity():
    np.random.seed(0)
    imgs = np.full((4, 32, 32, 3), 128, dtype=np.uint8)
    out = ClipGaussianNoise(std=(8., 8.), p=1.0)(dict(imgs=imgs.copy()))
    assert out['noise_std'] == 8.
    assert out['imgs'].dtype == np.uint8 and out['imgs'].shape == imgs.shape
    assert abs(out['imgs'].astype(float).std() - 8.) < 0.3
    same = ClipGaussianNoise(p=0.0)(dict(imgs=imgs.copy()))
    assert same['noise_std'] is None and (same['imgs'] == imgs).all()


def test_motion_jitter_moves_each_frame_by_its_offset():
    np.random.seed(1)
    imgs = np.zeros((6, 16, 16, 1), dtype=np.uint8)
    imgs[:, 8, 8] = 255
    out = ClipMotionJitter(max_shift=2, p=1.0)(dict(imgs=imgs.copy()))
    offsets = out['jitter_offsets']
    assert offsets.shape == (6, 2) and np.abs(offsets).max() <= 2
    for frame, (dy, dx) in zip(out['imgs'], offsets):
        assert frame[8 + dy, 8 + dx, 0] == 255 and frame.sum() == 255


def test_temporal_labels_cover_every_order_and_both_directions():
    np.random.seed(2)
    t = TemporalPretextLabels(num_segments=3, reverse_prob=0.5)
    draws = [t(dict()) for _ in range(300)]
    assert {d['order_label'] for d in draws} == set(range(6))
    assert {d['direction_label'] for d in draws} == {0, 1}
