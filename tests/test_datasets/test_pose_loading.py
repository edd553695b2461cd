"""LoadPoseAnnotation and the skeleton .pkl helpers
(mmssl/datasets/transforms/pose_loading.py,
mmssl/datasets/pose_annotations.py)."""
import numpy as np
import pytest

from mmssl.datasets.pose_annotations import (PoseAnnotationError,
                                             load_pose_index,
                                             make_pose_record,
                                             read_pose_records,
                                             write_pose_pkl)
from mmssl.datasets.skip_log import collect_skip_reasons
from mmssl.datasets.transforms import LoadPoseAnnotation
from mmssl.datasets.transforms.pose_loading import fill_missing

H, W, V = 50, 100, 17


def _keypoints(num_people, num_frames, offset=0.0):
    """Person m, frame t, joint v at x = 10 t + v + offset, y = m + 1."""
    t = np.arange(num_frames)[None, :, None]
    v = np.arange(V)[None, None, :]
    m = np.arange(num_people)[:, None, None]
    x = 10.0 * t + v + offset + 0 * m
    y = (m + 1.0) + 0 * t + 0 * v
    return np.stack(np.broadcast_arrays(x, y), axis=-1)


@pytest.fixture
def pose_file(tmp_path):
    kp = _keypoints(2, 6)
    score = np.ones((2, 6, V))
    score[0] *= 0.2  # person 1 has the higher mean score
    score[1, 2] = 0  # person 1 missing in frame 2
    records = [
        make_pose_record('clip_a', kp, score, (H, W), label=3,
                         total_frames=8),  # frames 6, 7 not in the file
        make_pose_record('empty', np.zeros((0, 4, V, 2)),
                         np.zeros((0, 4, V)), (H, W)),
    ]
    path = str(tmp_path / 'poses.pkl')
    write_pose_pkl(path, records, split=dict(train=['clip_a', 'empty']))
    return path


def _load(path, frames, future, **kwargs):
    transform = LoadPoseAnnotation(pose_file=path, **kwargs)
    return transform(dict(filename='videos/x/clip_a.mp4',
                          pose_frame_inds=np.array(frames),
                          pose_future_len=future))


def test_fields_normalised_and_person_selection(pose_file):
    out = _load(pose_file, [0, 1, 3, 4], 2)
    assert out['pose_in'].shape == (2, V, 2)
    assert out['pose_future'].shape == (2, V, 2)
    assert out['pose_in'].dtype == np.float32
    assert out['pose_person'] == 1
    # frame 3, joint 5 of person 1: x = 35 / W, y = 2 / H
    np.testing.assert_allclose(out['pose_future'][0, 5], [35 / W, 2 / H],
                               rtol=1e-6)
    np.testing.assert_array_equal(out['pose_valid'], [1, 1, 1, 1])


def test_missing_person_and_frames_filled_and_masked(pose_file):
    # frame 2: person 1 not found; frames 6, 7: past the end of the file
    out = _load(pose_file, [1, 2, 3, 6, 7, 5], 3)
    np.testing.assert_array_equal(out['pose_valid'], [1, 0, 1, 0, 0, 1])
    joints = np.concatenate([out['pose_in'], out['pose_future']])
    x = joints[:, 0, 0] * W  # joint 0: x = 10 t
    # frame 2 -> nearest valid (frame 1 and 3 tie: the earlier, frame 1);
    # slot 3 (frame 6) -> slot 2 (frame 3); slot 4 (frame 7) -> slot 5
    np.testing.assert_allclose(x, [10, 10, 30, 30, 50, 50], atol=1e-4)


def test_person_selection_by_video(tmp_path):
    kp = _keypoints(2, 4)
    score = np.ones((2, 4, V))
    score[0, :2] = 0  # person 0 absent early, strong late
    score[1, 2:] = 0.1
    path = str(tmp_path / 'p.pkl')
    write_pose_pkl(path, [make_pose_record('clip_a', kp, score, (H, W))])
    assert _load(path, [0, 1], 1)['pose_person'] == 1
    assert _load(path, [0, 1], 1, person='video')['pose_person'] == 1
    assert _load(path, [2, 3], 1)['pose_person'] == 0
    assert _load(path, [2, 3], 1, person='video')['pose_person'] == 1


def test_fill_missing_all_invalid_is_centre():
    out = fill_missing(np.zeros((3, 2, 2)), np.zeros(3, dtype=bool))
    assert np.all(out == 0.5)


def test_missing_video_names_file_and_stem(pose_file):
    transform = LoadPoseAnnotation(pose_file=pose_file)
    results = dict(filename='videos/other.mp4',
                   pose_frame_inds=np.arange(4), pose_future_len=2)
    with pytest.raises(PoseAnnotationError) as err:
        transform(dict(results))
    assert pose_file in str(err.value) and '"other"' in str(err.value)
    skipping = LoadPoseAnnotation(pose_file=pose_file, on_missing='skip')
    with collect_skip_reasons() as reasons:
        assert skipping(dict(results)) is None
    assert len(reasons) == 1 and 'other' in reasons[0]


def test_video_without_people_is_all_invalid(pose_file):
    out = LoadPoseAnnotation(pose_file=pose_file)(dict(
        filename='empty.avi', pose_frame_inds=np.arange(4),
        pose_future_len=2))
    np.testing.assert_array_equal(out['pose_valid'], np.zeros(4))
    assert np.all(out['pose_in'] == 0.5)


def test_malformed_and_missing_files(tmp_path):
    with pytest.raises(PoseAnnotationError, match='not found'):
        load_pose_index(str(tmp_path / 'none.pkl'))
    bad = tmp_path / 'bad.pkl'
    bad.write_bytes(b'not a pickle')
    with pytest.raises(PoseAnnotationError, match='bad.pkl'):
        read_pose_records(str(bad))
    path = str(tmp_path / 'wrong_v.pkl')
    write_pose_pkl(path, [make_pose_record('clip_a', np.zeros((1, 4, 5, 2)),
                                           np.ones((1, 4, 5)), (H, W))])
    with pytest.raises(PoseAnnotationError, match='wrong_v.pkl.*clip_a'):
        _load(path, [0, 1], 1)


def test_cache_reloads_changed_file(tmp_path):
    path = str(tmp_path / 'p.pkl')
    write_pose_pkl(path, [make_pose_record('a', np.zeros((1, 2, V, 2)),
                                           np.ones((1, 2, V)), (H, W))])
    first = load_pose_index(path)
    assert load_pose_index(path) is first  # read once
    write_pose_pkl(path, [make_pose_record('b', np.zeros((1, 3, V, 2)),
                                           np.ones((1, 3, V)), (H, W))])
    assert set(load_pose_index(path)) == {'b'}


def test_pkl_loads_in_mmaction_pose_dataset(pose_file):
    from mmaction.datasets import PoseDataset
    dataset = PoseDataset(ann_file=pose_file, pipeline=[], split='train')
    assert len(dataset) == 2
    assert dataset[0]['keypoint'].shape == (2, 6, V, 2)
