"""Pose extraction (mmssl/datasets/pose_extraction,
tools/data/extract_poses.py)
with a fake MediaPipe result; the real estimator only where mediapipe is
installed."""
import importlib.util
import os.path as osp
import pickle
from types import SimpleNamespace

import numpy as np
import pytest

from mmssl.datasets.pose_extraction import (MEDIAPIPE_INSTALL,
                                            MEDIAPIPE_TO_COCO17,
                                            extract_video_poses,
                                            import_mediapipe,
                                            landmarks_to_coco17)
from mmssl.datasets.pose_annotations import load_pose_index, write_pose_pkl


def _fake_landmarks(num=33):
    """Landmark i at x = i / 100, y = 1 - i / 100, visibility i / 40."""
    return SimpleNamespace(landmark=[
        SimpleNamespace(x=i / 100, y=1 - i / 100, visibility=i / 40)
        for i in range(num)
    ])


def test_mapping_to_coco17():
    xy, score = landmarks_to_coco17(_fake_landmarks(), height=200, width=100)
    src = np.array(MEDIAPIPE_TO_COCO17)
    assert xy.shape == (17, 2) and score.shape == (17, )
    np.testing.assert_allclose(xy[:, 0], src, rtol=1e-6)  # x * W
    np.testing.assert_allclose(xy[:, 1], 200 * (1 - src / 100), rtol=1e-6)
    np.testing.assert_allclose(score, np.minimum(src / 40, 1), rtol=1e-6)
    # COCO: nose, left eye = MediaPipe 2, left shoulder = 11, ankles 27/28
    assert MEDIAPIPE_TO_COCO17[:2] == (0, 2)
    assert MEDIAPIPE_TO_COCO17[5] == 11 and MEDIAPIPE_TO_COCO17[-2:] == (27,
                                                                         28)


def test_no_person_and_bad_result():
    xy, score = landmarks_to_coco17(None, 10, 10)
    assert not xy.any() and not score.any()
    with pytest.raises(ValueError, match='33'):
        landmarks_to_coco17(_fake_landmarks(20), 10, 10)


def test_video_record_and_pkl_with_fake_estimator(tmp_path):
    frames = [np.zeros((20, 30, 3), np.uint8) for _ in range(3)]
    calls = []

    def estimator(rgb):
        calls.append(rgb.shape)
        if len(calls) == 2:  # no person in frame 1
            return landmarks_to_coco17(None, *rgb.shape[:2])
        return landmarks_to_coco17(_fake_landmarks(), *rgb.shape[:2])

    record = extract_video_poses('videos/cls/clip_7.mp4', estimator, label=2,
                                 frames=iter(frames))
    assert record['frame_dir'] == 'clip_7' and record['label'] == 2
    assert record['keypoint'].shape == (1, 3, 17, 2)
    assert record['img_shape'] == (20, 30) and record['total_frames'] == 3
    assert record['keypoint_score'][0, 1].max() == 0
    path = str(tmp_path / 'poses.pkl')
    write_pose_pkl(path, [record])
    with open(path, 'rb') as f:
        assert isinstance(pickle.load(f), list)
    assert 'clip_7' in load_pose_index(path)


def test_import_error_gives_install_command(monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_mediapipe(name, *args, **kwargs):
        if name.startswith('mediapipe'):
            raise ImportError('No module named mediapipe')
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, '__import__', no_mediapipe)
    with pytest.raises(ImportError) as err:
        import_mediapipe()
    assert MEDIAPIPE_INSTALL in str(err.value)
    assert '--no-deps mediapipe==0.10.14' in MEDIAPIPE_INSTALL


def _tool():
    repo = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    spec = importlib.util.spec_from_file_location(
        'extract_poses', osp.join(repo, 'tools', 'data', 'extract_poses.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tool_without_person_reports_it(tmp_path, monkeypatch, capsys):
    from mmssl.datasets.synthmotion import write_video
    tool = _tool()
    write_video(str(tmp_path / 'a.mp4'), np.zeros((3, 16, 16, 3), np.uint8))

    class NoPerson:

        def __init__(self, *args):
            pass

        def __enter__(self):
            return lambda rgb: landmarks_to_coco17(None, *rgb.shape[:2])

        def __exit__(self, *exc):
            pass

    monkeypatch.setattr(tool.pose_extraction, 'import_mediapipe',
                        lambda: None)
    monkeypatch.setattr(tool.pose_extraction, 'MediaPipePoseEstimator',
                        NoPerson)
    out = str(tmp_path / 'p.pkl')
    assert tool.main([str(tmp_path), '--out', out]) == 0
    text = capsys.readouterr()
    assert 'a.mp4: no person found in any of its 3 frames' in text.out + \
        text.err
    assert load_pose_index(out)['a']['keypoint'].shape == (1, 3, 17, 2)


def test_tool_without_mediapipe_prints_install(tmp_path, monkeypatch,
                                               capsys):
    tool = _tool()

    def missing():
        raise ImportError(f'install with {MEDIAPIPE_INSTALL}')

    monkeypatch.setattr(tool.pose_extraction, 'import_mediapipe', missing)
    assert tool.main([str(tmp_path), '--out', str(tmp_path / 'p.pkl')]) == 1
    assert MEDIAPIPE_INSTALL in capsys.readouterr().err


def test_mediapipe_finds_figure_on_carphone():
    pytest.importorskip('mediapipe')
    path = osp.expanduser('~/.cache/mmssl/test_videos/carphone_pristine.mp4')
    if not osp.isfile(path):
        pytest.skip('real test clips not fetched (tools/data/'
                    'fetch_test_videos.sh)')
    from itertools import islice

    from mmssl.datasets.pose_extraction import (MediaPipePoseEstimator,
                                                iter_video_frames)
    with MediaPipePoseEstimator() as estimator:
        record = extract_video_poses(
            path, estimator, frames=islice(iter_video_frames(path), 4))
    assert record['keypoint_score'][0].max(axis=1).min() > 0
