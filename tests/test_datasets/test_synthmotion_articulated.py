"""The articulated SynthMotion variant
(mmssl/datasets/synthmotion/articulated*.py)
and its CSVR base config."""
import os.path as osp
import pickle

import numpy as np
import pytest

from mmssl.datasets.synthmotion import (ARTICULATED_CLASSES,
                                        ensure_articulated,
                                        generate_articulated,
                                        get_synthmotion_variant,
                                        is_articulated_up_to_date)
from mmssl.datasets.synthmotion.articulated_render import \
    render_articulated_video
from mmssl.datasets.transforms.iframe_keys import video_key_frames

TINY = dict(num_train_per_class=1, num_val_per_class=1, num_frames=40,
            size=(32, 32), seed=0)


@pytest.fixture(scope='module')
def tiny(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('articulated'))
    return generate_articulated(root, **TINY)


def test_variant_registered():
    assert get_synthmotion_variant('articulated') is ensure_articulated


def test_render_deterministic_and_joints_in_frame():
    for label in range(len(ARTICULATED_CLASSES)):
        a, ja = render_articulated_video(label, np.random.default_rng(3),
                                         24, 48, 40)
        b, jb = render_articulated_video(label, np.random.default_rng(3),
                                         24, 48, 40)
        assert a.shape == (24, 48, 40, 3) and a.dtype == np.uint8
        assert ja.shape == (24, 17, 2) and ja.dtype == np.float32
        np.testing.assert_array_equal(a, b)
        np.testing.assert_array_equal(ja, jb)
        assert ja[..., 0].min() >= 0 and ja[..., 0].max() <= 40
        assert ja[..., 1].min() >= 0 and ja[..., 1].max() <= 48


def test_figure_drawn_at_its_joints():
    frames, joints = render_articulated_video(
        0, np.random.default_rng(0), 8, 64, 64)
    bg, _ = render_articulated_video(0, np.random.default_rng(0), 8, 64, 64)
    # pixels on the limbs (mid-points of the thighs) carry the figure
    # colour, which differs from the background around it
    for t in range(8):
        for hip, knee in ((11, 13), (12, 14)):
            x, y = np.rint((joints[t, hip] + joints[t, knee]) / 2).astype(int)
            corner = frames[t, 0, 0].astype(int)
            assert np.abs(frames[t, y, x].astype(int) - corner).sum() > 30


def test_classes_differ_by_motion():
    def joints(label, seed=0):
        return render_articulated_video(label, np.random.default_rng(seed),
                                        60, 64, 64)[1]
    idx = {n: i for i, n in enumerate(ARTICULATED_CLASSES)}
    pelvis_x = lambda j: j[:, 11:13, 0].mean(axis=1)  # noqa: E731
    assert pelvis_x(joints(idx['walk_right']))[-1] - pelvis_x(
        joints(idx['walk_right']))[0] > 5
    assert pelvis_x(joints(idx['walk_left']))[-1] - pelvis_x(
        joints(idx['walk_left']))[0] < -5
    for name in ('wave', 'jumping_jack', 'squat', 'clap', 'side_bend',
                 'jump'):
        j = joints(idx[name])
        assert np.ptp(pelvis_x(j)) < 1.0, name  # stays in place
        assert np.ptp(j, axis=0).max() > 3, name  # but something moves


def test_classes_separable_by_joint_motion():
    """1-NN on motion statistics of the exact joints (pelvis-relative
    spread, mean and mean absolute velocity) classifies held-out videos."""
    from mmssl.datasets.synthmotion.layout import video_rng

    def features(split, count):
        feats, labels = [], []
        for label in range(len(ARTICULATED_CLASSES)):
            for index in range(count):
                _, k = render_articulated_video(
                    label, video_rng(0, split, label, index), 48, 32, 32)
                k = k / 32
                v = np.diff(k, axis=0)
                r = k - k[:, 11:13].mean(axis=1, keepdims=True)
                feats.append(np.concatenate([
                    r.std(0).ravel(), v.mean(0).ravel(),
                    np.abs(v).mean(0).ravel()]))
                labels.append(label)
        return np.array(feats), np.array(labels)

    x_train, y_train = features('train', 3)
    x_val, y_val = features('val', 2)
    dist = ((x_val[:, None] - x_train[None])**2).sum(-1)
    assert (y_train[dist.argmin(1)] == y_val).mean() == 1.0


def test_dataset_layout_and_exact_poses(tiny):
    with open(tiny['train_list']) as f:
        lines = f.read().splitlines()
    assert len(lines) == len(ARTICULATED_CLASSES)
    with open(tiny['poses'], 'rb') as f:
        data = pickle.load(f)
    assert sorted(data['split']) == ['train', 'val']
    records = {r['frame_dir']: r for r in data['annotations']}
    rel, label = lines[0].rsplit(' ', 1)
    stem = osp.splitext(osp.basename(rel))[0]
    record = records[stem]
    assert record['label'] == int(label) and record['total_frames'] == 40
    assert record['keypoint'].shape == (1, 40, 17, 2)
    assert record['img_shape'] == (32, 32)
    assert np.all(record['keypoint_score'] == 1)


def test_up_to_date_and_regeneration(tiny, tmp_path):
    root = tiny['root']
    assert is_articulated_up_to_date(root, **TINY)
    assert not is_articulated_up_to_date(root, **dict(TINY, seed=1))
    assert ensure_articulated(root, **TINY) == tiny
    with pytest.raises(TypeError, match='motion'):
        ensure_articulated(str(tmp_path), motion='constant')


def test_mp4v_key_frames_every_12(tiny):
    with open(tiny['train_list']) as f:
        rel = f.readline().split()[0]
    keys = video_key_frames(osp.join(tiny['root'], rel), 'decord')
    assert keys.tolist() == [0, 12, 24, 36]


def test_cli_variant(tmp_path):
    import importlib.util
    repo = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    spec = importlib.util.spec_from_file_location(
        'generate_synthmotion',
        osp.join(repo, 'tools', 'data', 'generate_synthmotion.py'))
    cli = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli)
    out = str(tmp_path / 'cli')
    args = ['--variant', 'articulated', '--out-dir', out,
            '--num-train-per-class', '1', '--num-val-per-class', '0',
            '--num-frames', '30', '--size', '32', '32']
    assert cli.main(args) == 0
    assert is_articulated_up_to_date(out, num_train_per_class=1,
                                     num_val_per_class=0, num_frames=30,
                                     size=(32, 32))


def test_base_config_pipeline_gives_the_csvr_fields(tiny):
    from mmengine.config import Config
    from mmengine.registry import init_default_scope

    from mmssl.registry import DATASETS
    from mmssl.utils import register_all_modules
    register_all_modules(init_default_scope=False)
    init_default_scope('mmssl')
    repo = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    cfg = Config.fromfile(osp.join(
        repo, 'configs/_base_/datasets/synthmotion_articulated.py'))
    pose_file = tiny['poses']
    for name in ('train_pipeline', 'val_pipeline'):
        pipeline = [dict(t, pose_file=pose_file)
                    if t['type'] == 'LoadPoseAnnotation' else t
                    for t in cfg[name]]
        pipeline[1] = dict(pipeline[1], clip_len=4, frame_interval=4)
        dataset = DATASETS.build(dict(
            type='VideoListDataset', ann_file=tiny['train_list'],
            data_prefix=dict(video=tiny['root']), pipeline=pipeline))
        out = dataset[0]
        sample = out['data_samples']
        assert out['inputs'].shape == (2, 3, 4, 32, 32)
        assert sample.pose_in.shape == (4, 17, 2)
        assert sample.pose_future.shape == (4, 17, 2)
        assert sample.pose_valid.tolist() == [1.0] * 8
        assert sample.iframes.shape == (4, 3, 32, 32)
        assert sample.iframes.dtype == out['inputs'].dtype
        assert sample.iframe_valid.shape == (4, )
        assert sample.iframe_valid[0] == 1
        assert int(sample.iframe_is_fallback) == 0
        assert float(sample.pose_in.min()) >= 0
        assert float(sample.pose_in.max()) <= 1
