"""CSVRSampleClips: current + future clip indices, pose frames, short videos
(mmssl/datasets/transforms/csvr_sampling.py)."""
import numpy as np
import pytest

from mmssl.datasets.errors import VideoTooShortError
from mmssl.datasets.skip_log import collect_skip_reasons
from mmssl.datasets.transforms import CSVRSampleClips


def _run(sampler, total, filename='v.mp4'):
    return sampler(dict(total_frames=total, filename=filename))


def test_exact_indices_centred():
    # run of 2 * 4 frames at stride 3 spans 22 frames; 30 frames -> start 4
    out = _run(CSVRSampleClips(clip_len=4, frame_interval=3,
                               test_mode=True), 30)
    assert out['frame_inds'].tolist() == [4, 7, 10, 13, 16, 19, 22, 25]
    assert out['pose_frame_inds'].tolist() == [4, 7, 10, 13, 16, 19, 22, 25]
    assert (out['clip_len'], out['num_clips'], out['frame_interval']) == \
        (4, 2, 3)
    assert out['pose_future_len'] == 4


def test_random_start_and_future_follows_current():
    np.random.seed(0)
    sampler = CSVRSampleClips(clip_len=4, frame_interval=2)
    starts = set()
    for _ in range(50):
        out = _run(sampler, 20)
        inds = out['frame_inds']
        assert np.all(np.diff(inds) == 2)  # future = next T at same stride
        assert inds[0] >= 0 and inds[-1] <= 19
        starts.add(int(inds[0]))
    assert starts == set(range(0, 6))  # room 20 - 15 = 5 -> starts 0..5


@pytest.mark.parametrize('future, run_len', [(2, 8), (6, 10)])
def test_pose_future_length(future, run_len):
    out = _run(CSVRSampleClips(clip_len=4, frame_interval=1,
                               pose_future_len=future, test_mode=True), 40)
    start = (40 - run_len) // 2
    assert out['frame_inds'].tolist() == list(range(start, start + 8))
    assert out['pose_frame_inds'].tolist() == list(
        range(start, start + 4 + future))
    assert out['pose_future_len'] == future


def test_short_video_lowers_stride_and_records_it():
    # 8-frame run: stride 4 needs 29 frames; 20 frames fit stride 2 (15)
    out = _run(CSVRSampleClips(clip_len=4, frame_interval=4,
                               test_mode=True), 20)
    assert out['frame_interval'] == 2
    assert out['frame_inds'].tolist() == [2, 4, 6, 8, 10, 12, 14, 16]
    assert np.all(np.diff(out['frame_inds']) == out['frame_interval'])


def test_too_short_raises_naming_file():
    sampler = CSVRSampleClips(clip_len=4, frame_interval=4)
    with pytest.raises(VideoTooShortError, match='tiny.mp4.*7 frames.*8'):
        _run(sampler, 7, 'tiny.mp4')
    strict = CSVRSampleClips(clip_len=4, frame_interval=4,
                             min_frame_interval=4)
    with pytest.raises(VideoTooShortError, match='28 frames.*29'):
        _run(strict, 28)


def test_too_short_skip_is_reported():
    sampler = CSVRSampleClips(clip_len=4, frame_interval=2, on_error='skip')
    with collect_skip_reasons() as reasons:
        assert _run(sampler, 5, 'short.avi') is None
    assert len(reasons) == 1 and 'short.avi' in reasons[0]


def test_bad_arguments():
    with pytest.raises(ValueError, match='min_frame_interval'):
        CSVRSampleClips(clip_len=4, frame_interval=2, min_frame_interval=3)
    with pytest.raises(ValueError, match='pose_future_len'):
        CSVRSampleClips(clip_len=4, pose_future_len=0)
