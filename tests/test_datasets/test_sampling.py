"""VCOP sampler and short-video rules: exact indices, labels, determinism."""
import itertools
import math

import numpy as np
import pytest

from mmssl.datasets.errors import VideoTooShortError
from mmssl.datasets.transforms import (VCOPSampleClips, fit_rates,
                                       largest_fitting_rate,
                                       permutation_table, place_clips)


def test_permutation_table_is_lexicographic():
    assert permutation_table(3) == ((0, 1, 2), (0, 2, 1), (1, 0, 2),
                                    (1, 2, 0), (2, 0, 1), (2, 1, 0))
    assert len(permutation_table(5)) == 120


def test_largest_fitting_rate():
    # a 16-frame clip at rate r spans 15 r + 1 frames
    assert largest_fitting_rate(16, 180) == 11
    assert largest_fitting_rate(16, 121) == 8
    assert largest_fitting_rate(16, 120) == 7
    assert largest_fitting_rate(16, 16) == 1
    assert largest_fitting_rate(16, 15) == 0
    assert largest_fitting_rate(1, 3) > 10**9


@pytest.mark.parametrize('total, expected', [
    (240, [1, 4, 8, 14, 15]),
    (180, [1, 4, 8, 10, 11]),
    (120, [1, 4, 5, 6, 7]),
    (60, [1, 2, 3, 2, 3]),
    (481, [1, 4, 8, 16, 32]),
])
def test_fit_rates_largest_distinct(total, expected):
    rates = fit_rates((1, 4, 8, 16, 32), 16, total)
    assert rates.tolist() == expected
    # order of the input is kept: a larger rate gets a larger replacement
    assert fit_rates((32, 1, 16, 8, 4), 16, 180).tolist() == [11, 1, 10, 8, 4]


def test_fit_rates_random_draws_distinct_fitting_rates():
    np.random.seed(0)
    seen = set()
    for _ in range(200):
        rates = fit_rates((1, 4, 8, 16, 32), 16, 180, mode='random')
        assert rates[:3].tolist() == [1, 4, 8]  # fitting rates are kept
        assert 11 >= rates[4] > rates[3] >= 2
        assert len(set(rates.tolist())) == 5
        seen.add(tuple(rates[3:].tolist()))
    assert len(seen) > 10
    with pytest.raises(ValueError, match='short_video_mode'):
        fit_rates((1, 2), 4, 10, mode='loop')
    with pytest.raises(ValueError, match='does not fit'):
        fit_rates((1, 2), 4, 3)


def test_place_clips_exact_steps_and_refuses_misfits():
    out = place_clips([1, 3, 7], 6, 40, test_mode=True)
    # spans 6, 16, 36; centred starts 17, 12, 2
    assert out.tolist() == [list(range(17, 23)), list(range(12, 28, 3)),
                            list(range(2, 38, 7))]
    np.random.seed(0)
    for _ in range(50):
        out = place_clips([2, 5], 4, 16)
        assert out.min() >= 0 and out.max() < 16
        assert np.diff(out, axis=1).tolist() == [[2] * 3, [5] * 3]
    with pytest.raises(ValueError, match='fit the rates first'):
        place_clips([6], 4, 16)


def test_place_clips_gives_equal_rate_clips_distinct_starts():
    np.random.seed(0)
    for _ in range(200):  # rate 3 on 12 frames: 3 valid starts
        out = place_clips([3, 3, 3, 1], 4, 12)
        assert sorted(out[:3, 0].tolist()) == [0, 1, 2]
    out = place_clips([2, 2, 5], 3, 14, test_mode=True)
    assert out[:, 0].tolist() == [0, 9, 1]  # spread over 10 starts; centred
    out = place_clips([3, 3], 4, 10)  # one start only: cannot separate
    assert out.tolist() == [[0, 3, 6, 9]] * 2


def test_vcop_exact_indices_in_test_mode():
    sampler = VCOPSampleClips(
        clip_len=4, num_clips=3, clip_interval=2, test_mode=True)
    # ordered clips: [0..3], [6..9], [12..15]; span 16; centred in 40
    # frames -> start (40 - 16) // 2 = 12.
    np.random.seed(0)
    out = sampler(dict(total_frames=40))
    ordered = np.array([[12, 13, 14, 15], [18, 19, 20, 21],
                        [24, 25, 26, 27]])
    perm = permutation_table(3)[out['order_label']]
    assert out['clip_order'].tolist() == list(perm)
    assert out['frame_inds'].reshape(3, 4).tolist() == ordered[list(
        perm)].tolist()
    assert (out['clip_len'], out['num_clips'],
            out['frame_interval']) == (4, 3, 1)


def test_vcop_frame_interval_and_random_start_in_range():
    sampler = VCOPSampleClips(
        clip_len=3, num_clips=3, clip_interval=1, frame_interval=2)
    offsets, span = sampler.ordered_offsets()
    assert offsets.tolist() == [[0, 2, 4], [6, 8, 10], [12, 14, 16]]
    assert span == 17
    np.random.seed(1)
    starts = set()
    for _ in range(300):
        out = sampler(dict(total_frames=20))
        inds = out['frame_inds'].reshape(3, 3)
        original = inds[np.argsort(out['clip_order'])]
        start = original[0, 0]
        starts.add(int(start))
        assert (original - start).tolist() == offsets.tolist()
        assert 0 <= inds.min() and inds.max() < 20
    assert starts == {0, 1, 2, 3}


@pytest.mark.parametrize('num_clips', [3, 4, 5])
def test_vcop_label_distribution_uniform(num_clips):
    sampler = VCOPSampleClips(clip_len=2, num_clips=num_clips)
    num_classes = math.factorial(num_clips)
    assert sampler.num_classes == num_classes
    np.random.seed(0)
    draws = 200 * num_classes
    labels = [
        sampler(dict(total_frames=200))['order_label'] for _ in range(draws)
    ]
    counts = np.bincount(labels, minlength=num_classes)
    # binomial std of a count is ~sqrt(200); 5 sigma bound
    assert np.all(np.abs(counts - 200) < 5 * math.sqrt(200))


def test_vcop_short_video_shrinks_gap_then_interval():
    """Old code squeezed the tuple (repeated frames, frame_interval still
    1); now the gap shrinks first, then the interval, and both are
    recorded."""
    sampler = VCOPSampleClips(clip_len=4, num_clips=3, clip_interval=2,
                              frame_interval=2, test_mode=True)
    np.random.seed(0)
    for total, step, gap in [(40, 2, 2), (25, 2, 2), (23, 2, 1), (21, 2, 0),
                             (20, 1, 2), (12, 1, 0)]:
        out = sampler(dict(total_frames=total))
        inds = out['frame_inds'].reshape(3, 4)
        ordered = inds[np.argsort(out['clip_order'])]
        assert out['frame_interval'] == step and out['clip_interval'] == gap
        assert (np.diff(ordered, axis=1) == step).all()
        assert (ordered[1:, 0] - ordered[:-1, -1] == gap + 1).all()
        assert ordered.min() >= 0 and ordered.max() < total
    with pytest.raises(VideoTooShortError, match='needs at least 12'):
        sampler(dict(total_frames=11))


def test_vcop_deterministic_under_seed():
    sampler = VCOPSampleClips(clip_len=4, num_clips=4, clip_interval=3)

    def run():
        np.random.seed(123)
        return [sampler(dict(total_frames=90)) for _ in range(5)]

    for a, b in itertools.zip_longest(run(), run()):
        assert a['order_label'] == b['order_label']
        assert a['frame_inds'].tolist() == b['frame_inds'].tolist()


def test_vcop_rejects_bad_arguments():
    with pytest.raises(ValueError, match='clips'):
        VCOPSampleClips(num_clips=1)
    with pytest.raises(ValueError, match='clip_len'):
        VCOPSampleClips(clip_len=0)
    with pytest.raises(ValueError, match='clip_interval'):
        VCOPSampleClips(clip_interval=-1)
