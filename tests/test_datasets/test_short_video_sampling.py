"""Short videos, for every sampler of the package (issue 8 item 1, issue 14
item 9): recorded rates equal the real index steps, no wrap-around, clips at
distinct rates stay distinct, and videos below ``min_frames`` are refused
(or skipped and reported)."""
import numpy as np
import pytest
import torch

from mmssl.datasets.errors import VideoTooShortError
from mmssl.datasets.skip_log import collect_skip_reasons
from mmssl.datasets.transforms import (CVRLSampleClips, PRPSampleClip,
                                       RSPNetSampleClips,
                                       SparseLocalSampleClips,
                                       SpeedLocTupleSampleClips,
                                       STCLRSampleClips, TCLRSampleClips,
                                       TDLSampleTriplet, VCOPSampleClips,
                                       speed_tuple_label)
from mmssl.models.utils import speed_label

LENGTHS = (60, 120, 180, 240)


def clips(out):
    return out['frame_inds'].reshape(out['num_clips'], out['clip_len'])


def vcop_rates(out):
    return [out['frame_interval']] * out['num_clips']


def prp_rates(out):
    return [out['playback_rate']] * out['num_clips']


def rspnet_rates(out):
    return (out['clip_speeds'] * out['frame_interval']).tolist()


def clip_rates(out):
    return out['clip_rates'].tolist()


# (sampler with its paper defaults, recorded rate of every clip, min_frames)
SAMPLERS = {
    'vcop': (lambda: VCOPSampleClips(), vcop_rates, 48),
    'vcop5': (lambda: VCOPSampleClips(num_clips=5, frame_interval=2),
              vcop_rates, 80),
    'tclr': (lambda: TCLRSampleClips(local_rate=2), clip_rates, 64),
    'tclr_global': (lambda: TCLRSampleClips(instance_mode='global'),
                    clip_rates, 64),
    'sparse': (lambda: SparseLocalSampleClips(), clip_rates, 31),
    'sparse_high': (lambda: SparseLocalSampleClips(skip_rates='high'),
                    clip_rates, 31),
    'sparse_separate': (lambda: SparseLocalSampleClips(
        instance_source='separate', instance_rates=(2, 8)), clip_rates, 121),
    'stclr': (lambda: STCLRSampleClips(), clip_rates, 46),
    'speedloc': (lambda: SpeedLocTupleSampleClips(), clip_rates, 46),
    'prp': (lambda: PRPSampleClip(), prp_rates, 16),
    'tdl': (lambda: TDLSampleTriplet(), vcop_rates, 17),
    'cvrl': (lambda: CVRLSampleClips(), vcop_rates, 16),
    'rspnet': (lambda: RSPNetSampleClips(speeds=(1, 2, 4)), rspnet_rates,
               31),
}


@pytest.mark.parametrize('total', LENGTHS)
@pytest.mark.parametrize('name', sorted(SAMPLERS))
def test_recorded_rates_are_the_real_steps(name, total):
    """Fails on the old code: 'resample' squeezed clips (steps 0/1 while
    the recorded rate said 16 or 32) and 'loop' wrapped them."""
    build, recorded, needed = SAMPLERS[name]
    sampler = build()
    if total < needed:
        with pytest.raises(VideoTooShortError):
            sampler(dict(total_frames=total))
        return
    np.random.seed(0)
    for _ in range(40):
        out = sampler(dict(total_frames=total))
        c = clips(out)
        assert c.min() >= 0 and c.max() < total
        steps = np.diff(c, axis=1)
        rates = recorded(out)
        assert len(rates) == len(c)
        for row, rate in zip(steps, rates):
            assert (row == rate).all(), (name, total, row, rate)


@pytest.mark.parametrize('name', sorted(SAMPLERS))
def test_min_frames_per_method(name):
    """A video shorter than the method's layout is refused by name (the
    old code turned a 1-frame video into e.g. a VCOP tuple with a
    permutation label), or skipped and reported with on_error='skip'."""
    build, _, needed = SAMPLERS[name]
    sampler = build()
    assert sampler.min_frames == needed
    sampler(dict(total_frames=needed))
    for total in (1, needed - 1):
        with pytest.raises(VideoTooShortError, match=f'at least {needed}'):
            sampler(dict(total_frames=total, filename='v.mp4'))
    sampler.on_error = 'skip'
    with collect_skip_reasons() as reasons:
        assert sampler(dict(total_frames=1, filename='v.mp4')) is None
    assert len(reasons) == 1 and '"v.mp4" has 1 frames' in reasons[0]


def test_min_frames_option_raises_the_bar_only():
    sampler = VCOPSampleClips(clip_len=4, num_clips=3, min_frames=20)
    with pytest.raises(VideoTooShortError, match='at least 20'):
        sampler(dict(total_frames=19))
    with pytest.raises(ValueError, match='below the 12 frames'):
        VCOPSampleClips(clip_len=4, num_clips=3, min_frames=5)(
            dict(total_frames=40))
    with pytest.raises(ValueError, match='on_error'):
        VCOPSampleClips(on_error='ignore')


@pytest.mark.parametrize('total', LENGTHS)
@pytest.mark.parametrize('preset', ['default', 'high'])
@pytest.mark.parametrize('cls', [SparseLocalSampleClips, STCLRSampleClips])
def test_sparse_local_clips_stay_distinct(cls, preset, total):
    """Fails on the old code: at 180 frames the rate-16 and rate-32 clips
    of the default preset were the same frames (2000 of 2000 samples)."""
    sampler = cls(skip_rates=preset)
    n = sampler.num_local_clips
    np.random.seed(0)
    for _ in range(100):
        out = sampler(dict(total_frames=total))
        local = clips(out)[:n]
        rates = out['local_rates']
        assert (np.diff(local, axis=1) == rates[:, None]).all()
        assert rates[0] != rates[1]  # the instance pair differs in speed
        if (total - 1) // 15 >= n:  # n distinct 16-frame rates fit
            assert len(set(rates.tolist())) == n
        # clips sharing a rate (60 frames) get distinct starts
        assert len({tuple(c) for c in local.tolist()}) == n


@pytest.mark.parametrize('total', LENGTHS)
def test_default_preset_rates_on_short_videos(total):
    sampler = SparseLocalSampleClips(test_mode=True)
    np.random.seed(0)
    out = sampler(dict(total_frames=total))
    expected = {60: [1, 2, 2, 3, 3], 120: [1, 4, 5, 6, 7],
                180: [1, 4, 8, 10, 11], 240: [1, 4, 8, 14, 15]}[total]
    assert sorted(out['local_rates'].tolist()) == expected


@pytest.mark.parametrize('total', LENGTHS)
def test_speedloc_tuples_never_wrap_and_labels_are_truthful(total):
    """Fails on the old code: with 'loop', 59 % of the tuples of a 180-frame
    video held a wrapped clip (a jump cut)."""
    sampler = STCLRSampleClips()
    np.random.seed(0)
    counts = np.zeros(4)
    for _ in range(400):
        out = sampler(dict(total_frames=total))
        tuple_clips = clips(out)[-3:]
        speeds = out['speedloc_speeds']
        assert (np.diff(tuple_clips, axis=1) == speeds[:, None]).all()
        assert out['speedloc_label'] == speed_tuple_label(speeds)
        counts[out['speedloc_label']] += 1
    # C2 = 0.75 over three pair positions, C3 = 0.25 "None"
    np.testing.assert_allclose(counts / counts.sum(), [0.25] * 4, atol=0.07)


@pytest.mark.parametrize('clip_len, speeds, total', [(8, 5, 48),
                                                     (16, 16, 180),
                                                     (16, 16, 300)])
def test_same_speed_pair_is_never_the_same_frames(clip_len, speeds, total):
    """Fails on the old code: the same-speed pair of a one-video tuple was
    the same frames in 3.9 % of the "same" tuples of the tiny setting (8
    frames, speeds 1..5, 48 frames) and 32.5 % at 180 frames, a shortcut
    (find the identical clips) that needs no speed."""
    sampler = SpeedLocTupleSampleClips(clip_len=clip_len, speeds=speeds)
    np.random.seed(0)
    for _ in range(300):
        c = clips(sampler(dict(total_frames=total)))
        assert len({tuple(x) for x in c.tolist()}) == 3


def test_one_speed_label_definition_for_numpy_and_torch():
    speeds = np.array(np.meshgrid(*[np.arange(1, 5)] * 3)).reshape(3, -1).T
    expected = []
    for s in speeds.tolist():
        equal = [s[0] == s[1], s[0] == s[2], s[1] == s[2]]
        expected.append(3 if not any(equal) else
                        equal.index(True) if sum(equal) == 1 else -1)
    assert speed_tuple_label(speeds).tolist() == expected
    assert speed_label(torch.from_numpy(speeds)).tolist() == expected
    assert speed_label is speed_tuple_label
