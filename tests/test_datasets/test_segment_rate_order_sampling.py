"""SegmentRateOrderSampleClips (issue 11): segment lengths, rates, labels
that recover the applied permutation, the key clip and short videos."""
import itertools
import math

import numpy as np
import pytest

from mmssl.datasets.errors import VideoTooShortError
from mmssl.datasets.skip_log import collect_skip_reasons
from mmssl.datasets.transforms import SegmentRateOrderSampleClips
from mmssl.datasets.transforms.segment_rate_order_sampling import (
    random_segment_lengths, shrink_largest_rate, walk_offsets, walk_span)


def query_segments(out, clip=0):
    """The clip's segments as they appear (shuffled order)."""
    inds = out['frame_inds'].reshape(out['num_clips'], out['clip_len'])[clip]
    prefix = '' if clip == 0 else 'key_'
    lengths = out[prefix + 'segment_lengths']
    return np.split(inds, np.cumsum(lengths)[:-1])


def test_walk_offsets_exact():
    # segment 0: 3 frames at rate 2; segment 1: 4 at rate 1 (starts 1 after
    # the end of segment 0); segment 2: 3 at rate 5
    offsets = walk_offsets([3, 4, 3], [2, 1, 5])
    assert offsets.tolist() == [0, 2, 4, 5, 6, 7, 8, 13, 18, 23]
    assert walk_span([3, 4, 3], [2, 1, 5]) == 24


def test_permutation_index_convention():
    """order_label indexes itertools.permutations(range(n))."""
    sampler = SegmentRateOrderSampleClips(num_segments=3)
    assert sampler.permutations == list(itertools.permutations(range(3)))
    assert sampler.permutations[1] == (0, 2, 1)
    assert SegmentRateOrderSampleClips(num_segments=5).num_classes == 120


@pytest.mark.parametrize('n', [2, 3, 4, 5])
def test_exact_layout_and_labels_recover_the_permutation(n):
    """Lengths sum to T and are >= 3, rates are distinct and in range, the
    steps inside each segment equal its recorded rate, and putting the
    segments back by the permutation label gives the temporal walk."""
    sampler = SegmentRateOrderSampleClips(num_segments=n)
    np.random.seed(n)
    labels = set()
    for _ in range(60):
        out = sampler(dict(total_frames=1000))
        assert out['frame_inds'].shape == (32, )
        lengths, rates = out['segment_lengths'], out['segment_rates']
        assert lengths.sum() == 16 and lengths.min() >= 3
        assert 1 <= rates.min() and rates.max() <= 8
        assert len(set(rates.tolist())) == n
        segments = query_segments(out)
        for seg, rate in zip(segments, rates):
            assert (np.diff(seg) == rate).all()
        perm = sampler.permutations[out['order_label']]
        assert tuple(out['segment_order']) == perm
        # shuffled position k holds temporal segment perm[k]: invert it
        temporal = [None] * n
        for k, src in enumerate(perm):
            temporal[src] = (segments[k], rates[k], lengths[k])
        walk = np.concatenate([t[0] for t in temporal])
        expected = walk[0] + walk_offsets([t[2] for t in temporal],
                                          [t[1] for t in temporal])
        np.testing.assert_array_equal(walk, expected)
        labels.add(out['order_label'])
    if n <= 3:  # every order class occurs
        assert len(labels) == math.factorial(n)


def test_key_clip_is_an_independent_draw_of_the_same_video():
    sampler = SegmentRateOrderSampleClips()
    np.random.seed(0)
    out = sampler(dict(total_frames=400))
    assert out['num_clips'] == 2 and out['clip_len'] == 16
    for seg, rate in zip(query_segments(out, 1), out['key_segment_rates']):
        assert (np.diff(seg) == rate).all()
    assert 0 <= out['key_order_label'] < 6
    single = SegmentRateOrderSampleClips(num_clips=1)(dict(total_frames=400))
    assert single['frame_inds'].shape == (16, )
    assert 'key_segment_rates' not in single


def test_segment_lengths_cover_all_compositions_uniformly():
    np.random.seed(0)
    counts = {}
    for _ in range(3000):
        lengths = tuple(random_segment_lengths(11, 3, 3))
        assert sum(lengths) == 11 and min(lengths) >= 3
        counts[lengths] = counts.get(lengths, 0) + 1
    # 2 spare frames over 3 segments: C(4, 2) = 6 compositions
    assert len(counts) == 6
    assert max(counts.values()) - min(counts.values()) < 150


def test_rate_range_and_independent_rates():
    np.random.seed(0)
    sampler = SegmentRateOrderSampleClips(rate_range=(2, 4))
    seen = set()
    for _ in range(100):
        rates = sampler(dict(total_frames=1000))['segment_rates']
        assert sorted(rates.tolist()) == [2, 3, 4]
    sampler = SegmentRateOrderSampleClips(
        num_segments=5, rate_range=(1, 2), distinct_rates=False)
    for _ in range(100):
        rates = sampler(dict(total_frames=1000))['segment_rates']
        seen.update(rates.tolist())
        assert set(rates.tolist()) <= {1, 2}
    assert seen == {1, 2}
    with pytest.raises(ValueError, match='fewer than 3 distinct'):
        SegmentRateOrderSampleClips(rate_range=(1, 2))
    with pytest.raises(ValueError, match='rate_range'):
        SegmentRateOrderSampleClips(rate_range=(0, 4))
    with pytest.raises(ValueError, match='2..5'):
        SegmentRateOrderSampleClips(num_segments=6)
    with pytest.raises(ValueError, match='do not fit'):
        SegmentRateOrderSampleClips(clip_len=8, num_segments=3)


def test_shrink_largest_rate_keeps_distinct_rates_and_rank():
    # 8 -> the largest unused value below (6), handed out by rank: the
    # segment that had 8 keeps the larger of {7, 6}
    def shrink(rates, distinct):
        return shrink_largest_rate(np.array(rates), distinct).tolist()

    assert shrink([8, 7, 2], True) == [7, 6, 2]
    # no free value below 3: rates start to repeat
    assert shrink([3, 1, 2], True) == [2, 1, 2]
    assert shrink([5, 5, 2], False) == [4, 5, 2]


@pytest.mark.parametrize('total', [16, 20, 30, 48, 60, 120])
def test_short_videos_rates_are_the_real_steps(total):
    """Never squeezed, wrapped or overlapping; recorded rates equal the
    steps; distinct rates as long as the video has room for them."""
    sampler = SegmentRateOrderSampleClips()
    np.random.seed(total)
    for _ in range(100):
        out = sampler(dict(total_frames=total))
        inds = out['frame_inds'].reshape(2, 16)
        assert inds.min() >= 0 and inds.max() < total
        for clip, prefix in ((0, ''), (1, 'key_')):
            assert len(set(inds[clip].tolist())) == 16  # no shared frames
            for seg, rate in zip(
                    query_segments(out, clip), out[prefix + 'segment_rates']):
                assert (np.diff(seg) == rate).all()
        rates = out['segment_rates']
        lengths = out['segment_lengths']
        # distinct rates whenever rates 1, 2, 3 fit in any assignment (the
        # rule passes through distinct rate sets down to {1, 2, 3})
        if (np.sort(lengths) * [1, 2, 3]).sum() <= total:
            assert len(set(rates.tolist())) == 3


def test_short_video_deterministic_example():
    """A 20-frame video: the walk of rates (8, 7, 2) is lowered step by step
    until it fits."""
    sampler = SegmentRateOrderSampleClips()
    lengths, rates = np.array([6, 5, 5]), np.array([8, 7, 2])
    fitted = sampler.fit_rates(lengths, rates, 20)
    assert walk_span(lengths, fitted) <= 20
    assert fitted.tolist() == [1, 1, 1]  # 6*1 + 5*1 + 5*1 - 1 + 1 = 16
    fitted = sampler.fit_rates(lengths, rates, 40)
    assert fitted.tolist() == [3, 2, 1] and walk_span(lengths, fitted) == 31


def test_min_frames_refuses_or_skips():
    sampler = SegmentRateOrderSampleClips()
    assert sampler.min_frames == 16
    sampler(dict(total_frames=16))
    with pytest.raises(VideoTooShortError, match='at least 16'):
        sampler(dict(total_frames=15, filename='v.mp4'))
    sampler.on_error = 'skip'
    with collect_skip_reasons() as reasons:
        assert sampler(dict(total_frames=3, filename='v.mp4')) is None
    assert len(reasons) == 1
