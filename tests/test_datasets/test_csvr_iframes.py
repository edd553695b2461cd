"""I-frames for CSVR: key-frame lookup, the slot rule, decoding through the
frame-accurate path, augmentation (mmssl/datasets/transforms/iframe*.py)."""
import numpy as np
import pytest
from video_fixtures import code_frame, read_frame_code

from mmssl.datasets.synthmotion import write_video
from mmssl.datasets.transforms import (CSVRSampleClips, DecordDecodeUnion,
                                       SafeDecordInit, SampleIFrames,
                                       SplitIFrames)
from mmssl.datasets.transforms.iframe_keys import (choose_iframes,
                                                   video_key_frames)
from mmssl.datasets.transforms.iframes import IFRAME_COUNTS

KEYS = np.array([0, 12, 24, 36])


@pytest.fixture(scope='module')
def coded_mp4v(tmp_path_factory):
    """48 frames with their index burnt in, mp4v (OpenCV: key every 12)."""
    path = str(tmp_path_factory.mktemp('iframes') / 'coded.mp4')
    write_video(path, np.stack([code_frame(t, 64) for t in range(48)]))
    return path


def test_choose_inside_padding_and_valid():
    inds, valid, kind = choose_iframes(KEYS, (10, 30), 4, 20)
    assert (inds.tolist(), valid.tolist(), kind) == \
        ([12, 24, 12, 24], [1, 1, 0, 0], 'inside')


def test_choose_more_than_k():
    inds, valid, _ = choose_iframes(KEYS, (0, 40), 3, 20, test_mode=True)
    assert inds.tolist() == [0, 24, 36] and valid.tolist() == [1, 1, 1]
    np.random.seed(0)
    inds, valid, _ = choose_iframes(KEYS, (0, 40), 2, 20)
    assert len(set(inds.tolist())) == 2 and set(inds) <= set(KEYS)
    assert np.all(np.diff(inds) > 0) and valid.tolist() == [1, 1]


def test_choose_nearest_outside_then_fallback():
    # span 14..22: key 12 is 2 frames before, key 24 2 after -> the earlier
    inds, valid, kind = choose_iframes(KEYS, (14, 22), 2, 18)
    assert (inds.tolist(), valid.tolist(), kind) == ([12, 12], [1, 0],
                                                     'outside')
    inds, valid, kind = choose_iframes(KEYS, (14, 22), 2, 18,
                                       max_outside_distance=1)
    assert (inds.tolist(), valid.tolist(), kind) == ([18, 18], [1, 0],
                                                     'fallback')
    inds, _, kind = choose_iframes(np.zeros(0), (14, 22), 3, 18)
    assert inds.tolist() == [18, 18, 18] and kind == 'fallback'


@pytest.mark.parametrize('source', ['pyav', 'decord'])
def test_key_frames_of_mp4v(coded_mp4v, source):
    pytest.importorskip('av') if source == 'pyav' else None
    np.testing.assert_array_equal(video_key_frames(coded_mp4v, source), KEYS)


def _pipeline(path, clip_len=4, stride=2, **iframe_kwargs):
    results = dict(filename=path)
    for t in (SafeDecordInit(), CSVRSampleClips(clip_len, stride,
                                                test_mode=True),
              SampleIFrames(test_mode=True, **iframe_kwargs),
              DecordDecodeUnion()):
        results = t(results)
    return results


def test_iframes_decoded_frame_accurately_and_split(coded_mp4v):
    # 8-frame run at stride 2 spans 15 frames: start 16; current 16..22 ->
    # no key inside; nearest outside: 24 (distance 2) vs 12 (distance 4)
    results = _pipeline(coded_mp4v, num_iframes=2)
    assert results['iframe_inds'].tolist() == [24, 24]
    assert results['iframe_valid'].tolist() == [1, 0]
    assert results['iframe_outside_span'] == 1
    out = SplitIFrames()(results)
    assert out['frame_inds'].tolist() == list(range(16, 31, 2))
    assert len(out['imgs']) == 8
    assert [read_frame_code(f) for f in out['imgs']] == list(range(16, 31, 2))
    assert out['iframes'].shape == (2, 3, 64, 64)
    assert out['iframes'].dtype == np.uint8
    assert read_frame_code(out['iframes'][0].transpose(1, 2, 0)) == 24


def test_iframes_inside_span(coded_mp4v):
    results = _pipeline(coded_mp4v, clip_len=8, stride=2, num_iframes=4)
    # 16-frame run at stride 2 spans 31: start 8; current 8..22 -> key 12
    assert results['iframe_inds'].tolist() == [12, 12, 12, 12]
    assert results['iframe_valid'].tolist() == [1, 0, 0, 0]
    assert results['iframe_is_fallback'] == 0


def test_fallback_is_flagged_logged_and_counted(coded_mp4v, caplog):
    before = IFRAME_COUNTS['fallback']
    results = _pipeline(coded_mp4v, num_iframes=2, outside_span=False)
    assert results['iframe_is_fallback'] == 1
    assert results['iframe_inds'].tolist() == [20, 20]  # middle frame
    assert IFRAME_COUNTS['fallback'] == before + 1
    out = SplitIFrames()(results)
    assert read_frame_code(out['iframes'][0].transpose(1, 2, 0)) == 20


def test_iframe_augmentation_independent_draws(coded_mp4v):
    results = _pipeline(coded_mp4v, clip_len=8, num_iframes=3)
    augment = [dict(type='RandomResizedCrop', area_range=(0.2, 0.5)),
               dict(type='Resize', scale=(16, 16), keep_ratio=False),
               dict(type='Flip', flip_ratio=0.5)]
    np.random.seed(1)
    out = SplitIFrames(augment)(results)
    assert out['iframes'].shape == (3, 3, 16, 16)
    boxes = [tuple(p['crop_bbox']) for p in out['iframe_params']]
    assert len(set(boxes)) == 3  # one crop per I-frame
    shared = SplitIFrames(augment, independent=False)(
        _pipeline(coded_mp4v, clip_len=8, num_iframes=3))
    assert len({tuple(p['crop_bbox']) for p in shared['iframe_params']}) == 1


def test_split_without_sample_iframes_is_clear():
    with pytest.raises(ValueError, match='SampleIFrames'):
        SplitIFrames()(dict(imgs=[np.zeros((2, 2, 3))], frame_inds=[0],
                            num_iframes=2))



@pytest.mark.parametrize('keys', ['empty', 'error'])
def test_video_without_reported_key_frames_falls_back(coded_mp4v, keys,
                                                      monkeypatch):
    from mmssl.datasets.transforms import iframes

    def lookup(*args):
        if keys == 'error':
            raise RuntimeError('damaged index')
        return np.zeros(0, dtype=np.int64)

    monkeypatch.setattr(iframes, 'video_key_frames', lookup)
    results = _pipeline(coded_mp4v, num_iframes=2)
    assert results['iframe_is_fallback'] == 1
    assert results['iframe_inds'].tolist() == [20, 20]
    assert results['iframe_valid'].tolist() == [1, 0]


def test_pyav_reader_key_table_is_reused(coded_mp4v):
    pytest.importorskip('av')
    results = dict(filename=coded_mp4v)
    for t in (SafeDecordInit(backend='pyav'),
              CSVRSampleClips(8, 2, test_mode=True),
              SampleIFrames(num_iframes=2, key_source='pyav',
                            test_mode=True), DecordDecodeUnion(),
              SplitIFrames()):
        results = t(results)
    assert results['iframe_inds'].tolist() == [12, 12]
    assert read_frame_code(results['iframes'][0].transpose(1, 2, 0)) == 12
