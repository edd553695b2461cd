"""Decode-once loading and clear errors for unreadable videos."""
import logging
import os.path as osp

import numpy as np
import pytest
from video_fixtures import frame_index

from mmssl.datasets import VideoReadError
from mmssl.datasets.transforms import (DecordDecodeUnion, SafeDecordInit,
                                       VCOPSampleClips)


def test_union_decoded_once_and_frames_in_index_order(index_videos,
                                                      monkeypatch):
    results = SafeDecordInit()(dict(filename=index_videos['long']))
    assert results['total_frames'] == 40
    source, calls = results['video_reader'], []
    read = source.read
    monkeypatch.setattr(
        source, 'read',
        lambda inds, access, **kw: calls.append(list(inds)) or read(
            inds, access, **kw))
    # overlapping clips with repeated frames
    results['frame_inds'] = np.array([3, 4, 5, 4, 5, 6, 30, 3])
    out = DecordDecodeUnion()(results)
    assert calls == [[3, 4, 5, 6, 30]]
    assert out['num_decoded_frames'] == 5
    assert [frame_index(f) for f in out['imgs']] == [3, 4, 5, 4, 5, 6, 30, 3]
    assert out['img_shape'] == (32, 32)
    assert out['video_reader'] is None


def test_sampler_plus_decode_gives_the_sampled_frames(index_videos):
    np.random.seed(0)
    results = SafeDecordInit()(dict(filename=index_videos['long']))
    results = VCOPSampleClips(clip_len=4, num_clips=3, clip_interval=2)(
        results)
    out = DecordDecodeUnion()(results)
    assert [frame_index(f)
            for f in out['imgs']] == out['frame_inds'].tolist()
    assert max(out['frame_inds']) < 40


def test_missing_file_names_file_and_line(tmp_path):
    info = dict(
        filename=str(tmp_path / 'nope.mp4'), ann_file='list.txt', ann_line=7)
    with pytest.raises(VideoReadError, match=r'nope\.mp4.*list\.txt:7'):
        SafeDecordInit()(info)


@pytest.mark.parametrize('content', [b'', b'this is not a video\n' * 20])
def test_unreadable_file_raises(tmp_path, content):
    path = tmp_path / 'bad.mp4'
    path.write_bytes(content)
    with pytest.raises(VideoReadError, match='bad.mp4'):
        SafeDecordInit()(dict(filename=str(path)))


def test_truncated_file_raises_or_decodes_cleanly(tmp_path, index_videos):
    data = open(index_videos['long'], 'rb').read()
    path = tmp_path / 'truncated.avi'
    path.write_bytes(data[:len(data) // 2])
    try:
        results = SafeDecordInit()(dict(filename=str(path)))
    except VideoReadError as err:
        assert 'truncated.avi' in str(err)
        return
    # decord opened it: frames past the damage must raise a named error
    results['frame_inds'] = np.arange(results['total_frames'])
    try:
        out = DecordDecodeUnion()(results)
    except VideoReadError as err:
        assert 'truncated.avi' in str(err)
    else:
        assert len(out['imgs']) == results['total_frames']


def test_skip_mode_logs_and_returns_none(tmp_path, caplog):
    from mmengine.logging import MMLogger
    MMLogger.get_instance('mmssl-test-skip')
    path = tmp_path / 'bad.mp4'
    path.write_bytes(b'garbage')
    with caplog.at_level(logging.WARNING):
        assert SafeDecordInit(on_error='skip')(dict(filename=str(path))) is None


def test_invalid_error_mode():
    with pytest.raises(ValueError, match='on_error'):
        SafeDecordInit(on_error='ignore')
    with pytest.raises(ValueError, match='on_error'):
        DecordDecodeUnion(on_error='ignore')


def test_decode_error_names_file(index_videos):
    results = SafeDecordInit()(dict(filename=index_videos['short']))
    results['frame_inds'] = np.array([0, 100])  # past the end
    with pytest.raises(VideoReadError, match=osp.basename(
            index_videos['short'])):
        DecordDecodeUnion()(results)


def test_bare_decord_reader_still_decodes(index_videos):
    """Code that puts a decord VideoReader in ``video_reader`` keeps working."""
    import decord
    results = dict(filename=index_videos['long'],
                   video_reader=decord.VideoReader(index_videos['long']),
                   frame_inds=np.array([7, 2, 7]))
    out = DecordDecodeUnion()(results)
    assert [frame_index(f) for f in out['imgs']] == [7, 2, 7]
