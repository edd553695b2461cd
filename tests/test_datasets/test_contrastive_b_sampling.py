"""CVRL / TDL / RSPNet samplers, TDL's intra-clip mixup and the clip-group
augmentation wrapper: exact indices, label distributions, determinism."""
import random

import numpy as np
import pytest
from video_fixtures import frame_index

from mmssl.datasets.errors import VideoTooShortError
from mmssl.datasets.transforms import (ClipGroupsTransform, CVRLSampleClips,
                                       DecordDecodeUnion, IntraClipMixup,
                                       RSPNetSampleClips, SafeDecordInit,
                                       TDLSampleTriplet, interval_probs)

# --------------------------------------------------------------------------
# CVRL
# --------------------------------------------------------------------------


def test_interval_probs_exact():
    # decreasing, power 1: P(d) = (2M - 2d - 1) / M^2 (linear CDF 2x - x^2)
    np.testing.assert_allclose(
        interval_probs(4, 'decreasing'), np.array([7, 5, 3, 1]) / 16)
    np.testing.assert_allclose(interval_probs(4, 'uniform'), [0.25] * 4)
    np.testing.assert_allclose(
        interval_probs(4, 'increasing'), np.array([1, 3, 5, 7]) / 16)
    p = interval_probs(50, 'decreasing', power=2.0)
    assert abs(p.sum() - 1) < 1e-12 and np.all(np.diff(p) < 0)
    assert interval_probs(1).tolist() == [1.0]
    with pytest.raises(ValueError, match='interval_dist'):
        interval_probs(4, 'gaussian')
    with pytest.raises(ValueError, match='power'):
        interval_probs(4, 'decreasing', power=0)


def test_cvrl_exact_indices_in_test_mode():
    sampler = CVRLSampleClips(clip_len=4, frame_interval=2, test_mode=True)
    out = sampler(dict(total_frames=40))
    # span 7, M = 34 starts: gap (34 - 1) // 2 = 16, first (33 - 16) // 2
    assert out['clip_starts'].tolist() == [8, 24] and out['clip_gap'] == 16
    assert out['frame_inds'].tolist() == [8, 10, 12, 14, 24, 26, 28, 30]
    assert (out['clip_len'], out['num_clips'],
            out['frame_interval']) == (4, 2, 2)


def test_cvrl_random_clips_valid_and_deterministic():
    sampler = CVRLSampleClips(clip_len=5, frame_interval=3)
    for seed in range(20):
        np.random.seed(seed)
        out = sampler(dict(total_frames=30))
        inds = out['frame_inds'].reshape(2, 5)
        assert inds.min() >= 0 and inds.max() < 30
        assert (np.diff(inds, axis=1) == 3).all()
        assert inds[:, 0].tolist() == out['clip_starts'].tolist()
        np.random.seed(seed)
        again = sampler(dict(total_frames=30))
        assert np.array_equal(again['frame_inds'], out['frame_inds'])


@pytest.mark.parametrize('dist', ['decreasing', 'uniform', 'increasing'])
def test_cvrl_gap_distribution_over_draws(dist):
    # clip_len 3, interval 1 -> span 3; 9 frames -> M = 7 valid starts
    sampler = CVRLSampleClips(clip_len=3, frame_interval=1, interval_dist=dist)
    np.random.seed(0)
    draws = 12000
    gaps, swapped, firsts = np.zeros(draws, int), 0, []
    for i in range(draws):
        starts = sampler(dict(total_frames=9))['clip_starts']
        gaps[i] = abs(starts[1] - starts[0])
        swapped += starts[0] > starts[1]
        if gaps[i] == 2:
            firsts.append(starts.min())
    freq = np.bincount(gaps, minlength=7) / draws
    np.testing.assert_allclose(freq, interval_probs(7, dist), atol=0.015)
    # the order of the two clips is random (gap 0 cannot be swapped)
    assert abs(swapped / np.sum(gaps > 0) - 0.5) < 0.03
    # given the gap, the earlier start is uniform over M - gap positions
    counts = np.bincount(firsts, minlength=5) / len(firsts)
    np.testing.assert_allclose(counts, [0.2] * 5, atol=0.05)


def test_cvrl_short_video_and_errors():
    """Old code squeezed an 8-frame clip into 6 frames (repeated frames);
    now the interval drops to one that fits, and too-short videos are
    refused."""
    sampler = CVRLSampleClips(clip_len=8, frame_interval=3, test_mode=True)
    out = sampler(dict(total_frames=20))  # interval 3 needs 22 frames
    assert out['frame_interval'] == 2
    assert (np.diff(out['frame_inds'].reshape(2, 8), axis=1) == 2).all()
    with pytest.raises(VideoTooShortError, match='needs at least 8'):
        sampler(dict(total_frames=6))
    with pytest.raises(ValueError, match='interval_dist'):
        CVRLSampleClips(interval_dist='normal')
    with pytest.raises(ValueError, match='frame_interval'):
        CVRLSampleClips(frame_interval=0)


def test_cvrl_sampler_decodes_the_sampled_frames(index_videos):
    results = SafeDecordInit()(dict(filename=index_videos['long']))
    results = CVRLSampleClips(
        clip_len=4, frame_interval=2, test_mode=True)(results)
    results = DecordDecodeUnion()(results)
    assert [frame_index(f) for f in results['imgs']
            ] == results['frame_inds'].tolist()


# --------------------------------------------------------------------------
# TDL
# --------------------------------------------------------------------------


def test_tdl_exact_indices_in_test_mode():
    sampler = TDLSampleTriplet(clip_len=4, frame_interval=4, test_mode=True)
    out = sampler(dict(total_frames=40))
    # span 13, S = 28 starts: anchor 13; farthest start is 27 (14 > 13)
    assert out['clip_starts'].tolist() == [13, 13, 27]
    assert out['frame_inds'].tolist() == [
        13, 17, 21, 25, 13, 17, 21, 25, 27, 31, 35, 39
    ]
    assert out['negative_offset'] == 14 and out['num_clips'] == 3


def test_tdl_negative_distribution_and_min_gap():
    # clip_len 2, interval 1 -> span 2 = default min_gap; 11 frames -> S=10
    sampler = TDLSampleTriplet(clip_len=2, frame_interval=1)
    assert sampler.min_gap == 2
    np.random.seed(0)
    counts = np.zeros((10, 10))
    for _ in range(20000):
        out = sampler(dict(total_frames=11))
        a, p, n = out['clip_starts']
        assert a == p and abs(n - a) >= 2
        assert np.array_equal(out['frame_inds'][:2], out['frame_inds'][2:4])
        counts[a, n] += 1
    # anchors uniform over the 10 starts
    np.testing.assert_allclose(counts.sum(1) / 20000, [0.1] * 10, atol=0.01)
    # negatives uniform over the allowed starts of each anchor
    for a in (0, 4, 9):
        allowed = [s for s in range(10) if abs(s - a) >= 2]
        row = counts[a, allowed] / counts[a].sum()
        np.testing.assert_allclose(row, 1 / len(allowed), atol=0.04)
        assert counts[a, [s for s in range(10) if s not in allowed]].sum() == 0


def test_tdl_fallback_farthest_start_and_authors_gap():
    # span 4, 6 frames -> S = 3 starts; min_gap 4 is impossible
    sampler = TDLSampleTriplet(clip_len=4, frame_interval=1)
    seen = {}
    for seed in range(30):
        np.random.seed(seed)
        a, _, n = sampler(dict(total_frames=6))['clip_starts']
        seen[int(a)] = int(n)
    assert seen == {0: 2, 1: 0, 2: 0}  # ties -> the earlier start
    authors = TDLSampleTriplet(clip_len=4, frame_interval=1, min_gap=2)
    for seed in range(30):
        np.random.seed(seed)
        a, _, n = authors(dict(total_frames=20))['clip_starts']
        assert abs(n - a) >= 2


def test_tdl_short_video_deterministic_and_errors():
    """Old code squeezed the clip and made the negative equal the anchor;
    now the interval drops so that the negative is another interval."""
    sampler = TDLSampleTriplet(clip_len=8, frame_interval=4)
    np.random.seed(0)
    for _ in range(20):
        out = sampler(dict(total_frames=20))  # interval 2 leaves 6 starts
        assert out['frame_interval'] == 2
        inds = out['frame_inds'].reshape(3, 8)
        assert (np.diff(inds, axis=1) == 2).all() and inds.max() < 20
        assert out['negative_offset'] != 0
    with pytest.raises(VideoTooShortError, match='needs at least 9'):
        sampler(dict(total_frames=8))
    sampler = TDLSampleTriplet(clip_len=4, frame_interval=2)
    np.random.seed(7)
    first = sampler(dict(total_frames=50))['frame_inds']
    np.random.seed(7)
    assert np.array_equal(sampler(dict(total_frames=50))['frame_inds'],
                          first)
    with pytest.raises(ValueError, match='min_gap'):
        TDLSampleTriplet(min_gap=0)


# --------------------------------------------------------------------------
# RSPNet
# --------------------------------------------------------------------------


def test_rspnet_exact_indices_in_test_mode():
    sampler = RSPNetSampleClips(clip_len=4, speeds=(1, 2), test_mode=True)
    out = sampler(dict(total_frames=20))
    # window (4 - 1) * 2 + 1 = 7; room 13 -> both windows start at 6
    assert out['frame_inds'].tolist() == [
        6, 7, 8, 9, 6, 7, 8, 9, 6, 8, 10, 12
    ]
    assert out['speed_label'] == 0
    assert out['clip_speeds'].tolist() == [1, 1, 2]
    assert out['clip_starts'].tolist() == [6, 6, 6]


def test_rspnet_random_clips_and_label_distribution():
    sampler = RSPNetSampleClips(clip_len=4, speeds=(1, 2, 4), frame_interval=2)
    assert sampler.window == 3 * 4 * 2 + 1
    np.random.seed(0)
    pairs, starts = np.zeros((3, 3)), []
    for _ in range(9000):
        out = sampler(dict(total_frames=60))
        inds = out['frame_inds'].reshape(3, 4)
        s_q, s_same, s_d = out['clip_speeds']
        assert s_q == s_same != s_d
        assert sampler.speeds[out['speed_label']] == s_q
        for clip, s in zip(inds, out['clip_speeds']):
            assert (np.diff(clip) == 2 * s).all()
        assert inds[1, 0] == inds[2, 0]  # keys share their window
        assert inds.min() >= 0 and inds.max() < 60
        pairs[out['speed_label'], sampler.speeds.index(s_d)] += 1
        starts.extend(out['clip_starts'][:2].tolist())
    # every ordered pair of distinct speeds equally likely
    off_diag = pairs[~np.eye(3, dtype=bool)] / 9000
    np.testing.assert_allclose(off_diag, [1 / 6] * 6, atol=0.015)
    assert np.trace(pairs) == 0
    # window starts uniform over [0, 60 - 25]
    hist = np.bincount(starts, minlength=36) / len(starts)
    assert len(hist) == 36
    np.testing.assert_allclose(hist, [1 / 36] * 36, atol=0.012)


def test_rspnet_short_video_deterministic_and_errors():
    """Old code squeezed the window (steps no longer the speeds); now the
    speeds are drawn from those that fit."""
    short = RSPNetSampleClips(clip_len=4, speeds=(1, 2, 4))
    np.random.seed(0)
    for _ in range(30):
        out = short(dict(total_frames=9))  # speed 4 needs 13 frames
        inds = out['frame_inds'].reshape(3, 4)
        assert inds.min() >= 0 and inds.max() < 9
        assert (np.diff(inds, axis=1) ==
                out['clip_speeds'][:, None]).all()
        assert short.speeds[out['speed_label']] in (1, 2)
    with pytest.raises(VideoTooShortError, match='needs at least 7'):
        short(dict(total_frames=6))
    sampler = RSPNetSampleClips(clip_len=4)
    np.random.seed(3)
    first = sampler(dict(total_frames=40))
    np.random.seed(3)
    again = sampler(dict(total_frames=40))
    assert np.array_equal(first['frame_inds'], again['frame_inds'])
    assert first['speed_label'] == again['speed_label']
    for bad in [(1, ), (2, 2), (0, 1)]:
        with pytest.raises(ValueError, match='speeds'):
            RSPNetSampleClips(speeds=bad)


# --------------------------------------------------------------------------
# IntraClipMixup (TDL's TCA)
# --------------------------------------------------------------------------


def _ramp_clips(num_clips=2, clip_len=4, size=6):
    # frame t of the sample is a constant image of value 20 * t + 3
    return [
        np.full((size, size, 3), 20 * t + 3, dtype=np.uint8)
        for t in range(num_clips * clip_len)
    ]


def test_intra_clip_mixup_exact():
    imgs = _ramp_clips()
    np.random.seed(0)
    out = IntraClipMixup(alpha=0.1, clips=(0, ))(
        dict(imgs=list(imgs), num_clips=2, clip_len=4))
    (lam, s), = out['intra_mixup']
    assert 0 <= lam < 0.1 and 0 <= s < 4
    for t in range(4):
        expected = np.rint((1 - lam) * (20 * t + 3) + lam * (20 * s + 3))
        assert (out['imgs'][t] == expected).all()
        assert out['imgs'][t].dtype == np.uint8
    for t in range(4, 8):  # clip 1 untouched
        assert (out['imgs'][t] == imgs[t]).all()
    # the time derivative is only scaled by (1 - lam) (up to rounding)
    diffs = np.diff([float(f.mean()) for f in out['imgs'][:4]])
    np.testing.assert_allclose(diffs, 20 * (1 - lam), atol=1.0)


def test_intra_clip_mixup_array_p_and_errors():
    arr = np.stack(_ramp_clips())
    out = IntraClipMixup(alpha=0.5, clips=(0, 1), p=0.0)(
        dict(imgs=arr.copy(), num_clips=2, clip_len=4))
    assert isinstance(out['imgs'], np.ndarray)
    assert np.array_equal(out['imgs'], arr)
    assert out['intra_mixup'] == [None, None]
    with pytest.raises(ValueError, match='out of range'):
        IntraClipMixup(clips=(2, ))(
            dict(imgs=list(arr), num_clips=2, clip_len=4))
    with pytest.raises(ValueError, match='alpha'):
        IntraClipMixup(alpha=1.5)


# --------------------------------------------------------------------------
# ClipGroupsTransform
# --------------------------------------------------------------------------


def _coord_clips(num_clips=3, clip_len=2, size=8):
    # pixel (y, x) of frame t holds (t, y, x): crops and flips are readable
    y, x = np.mgrid[:size, :size]
    return [
        np.stack([np.full_like(y, t), y, x], axis=-1).astype(np.uint8)
        for t in range(num_clips * clip_len)
    ]


def test_clip_groups_share_draws_within_groups():
    group = ClipGroupsTransform(
        transforms=[dict(type='RandomCrop', size=4),
                    dict(type='Flip', flip_ratio=0.5)],
        groups=((0, ), (1, 2)))
    differs = False
    for seed in range(10):
        np.random.seed(seed)
        random.seed(seed)
        out = group(
            dict(
                imgs=_coord_clips(),
                num_clips=3,
                clip_len=2,
                img_shape=(8, 8),
                modality='RGB'))
        imgs, params = out['imgs'], out['clip_params']
        assert len(imgs) == 6 and imgs[0].shape == (4, 4, 3)
        assert [f[0, 0, 0] for f in imgs] == list(range(6))  # order kept
        assert params[1] == params[2]
        # the keys' frames show the same pixels
        assert np.array_equal(imgs[2][..., 1:], imgs[4][..., 1:])
        differs |= not np.array_equal(imgs[0][..., 1:], imgs[2][..., 1:])
        assert out['img_shape'] == (4, 4)
        assert 'crop_bbox' not in out and 'flip' not in out
    assert differs


def test_clip_groups_non_contiguous_and_errors():
    group = ClipGroupsTransform(
        transforms=[dict(type='Resize', scale=(8, 8), keep_ratio=False)],
        groups=((1, ), (0, 2)))
    out = group(
        dict(imgs=_coord_clips(), num_clips=3, clip_len=2, img_shape=(8, 8)))
    assert [f[0, 0, 0] for f in out['imgs']] == list(range(6))
    with pytest.raises(ValueError, match='partition'):
        ClipGroupsTransform(transforms=[], groups=((0, ), (0, 1)))
    with pytest.raises(ValueError, match='num_clips=2'):
        group(dict(imgs=_coord_clips(2), num_clips=2, clip_len=2))
