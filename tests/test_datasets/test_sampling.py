"""VCOP sampler and short-video rules: exact indices, labels, determinism."""
import itertools
import math

import numpy as np
import pytest

from mmssl.datasets.transforms import (VCOPSampleClips, fit_indices_to_video,
                                       permutation_table)


def test_permutation_table_is_lexicographic():
    assert permutation_table(3) == ((0, 1, 2), (0, 2, 1), (1, 0, 2),
                                    (1, 2, 0), (2, 0, 1), (2, 1, 0))
    assert len(permutation_table(5)) == 120


@pytest.mark.parametrize('mode, expected', [
    ('resample', [0, 0, 1, 2, 3, 3, 4, 5]),
    ('loop', [0, 1, 2, 3, 4, 5, 0, 1]),
    ('clamp', [0, 1, 2, 3, 4, 5, 5, 5]),
])
def test_short_video_modes(mode, expected):
    offsets = np.arange(8)
    out = fit_indices_to_video(offsets, span=8, total_frames=6, mode=mode)
    assert out.tolist() == expected


def test_long_enough_video_unchanged_and_bad_mode():
    offsets = np.arange(8)
    assert fit_indices_to_video(offsets, 8, 8, 'clamp').tolist() == list(
        range(8))
    with pytest.raises(ValueError, match='short_video_mode'):
        fit_indices_to_video(offsets, 8, 6, 'wrap')
    with pytest.raises(ValueError, match='no frames'):
        fit_indices_to_video(offsets, 8, 0, 'loop')


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


def test_vcop_short_video_keeps_order_with_resample():
    sampler = VCOPSampleClips(clip_len=4, num_clips=3, clip_interval=2)
    np.random.seed(0)
    out = sampler(dict(total_frames=8))  # span 16 > 8 frames
    inds = out['frame_inds'].reshape(3, 4)
    ordered = inds[np.argsort(out['clip_order'])].reshape(-1)
    assert ordered.tolist() == [0, 0, 1, 1, 3, 3, 4, 4, 6, 6, 7, 7]


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
