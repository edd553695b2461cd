"""Shared fixtures (helpers live in tests/video_fixtures.py)."""
import os
import os.path as osp

import pytest
from video_fixtures import write_index_video


@pytest.fixture(scope='session')
def index_videos(tmp_path_factory):
    """Dict with a 40-frame and a 6-frame index video and their list."""
    root = str(tmp_path_factory.mktemp('index_videos'))
    long_video = write_index_video(osp.join(root, 'long.avi'), 40)
    short_video = write_index_video(osp.join(root, 'short.avi'), 6)
    ann = osp.join(root, 'list.txt')
    with open(ann, 'w') as f:
        f.write('long.avi 0\nshort.avi 1\n')
    return dict(root=root, long=long_video, short=short_video, ann=ann)


@pytest.fixture(scope='session')
def synthmotion(tmp_path_factory):
    """A tiny synthetic motion dataset (generated once per session)."""
    from mmssl.datasets.synthetic import generate_synthmotion
    root = str(tmp_path_factory.mktemp('synthmotion'))
    generate_synthmotion(
        root,
        num_train_per_class=2,
        num_val_per_class=1,
        # the tiny configs' clip layouts are sized for SynthMotion's 48
        # frames (samplers refuse shorter videos: min_frames)
        num_frames=48,
        size=(40, 40),
        seed=0)
    return root


@pytest.fixture
def repo_root():
    return osp.dirname(osp.dirname(osp.abspath(__file__)))


os.environ.setdefault('MMSSL_FFMPEG_VERBOSE', '0')
