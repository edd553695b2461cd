"""mmssl.apis (init_model, extract_features) and tools/misc/embed_videos.py
on the embedded SynthMotion fixture and, when fetched, on real clips."""
import json
import os
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from probe_fixtures import REPO_ROOT, VCOP_TINY, tiny_checkpoint
from tool_modules import load_tool

from mmssl.apis import extract_features, init_model
from mmssl.apis.video_sources import list_videos
from mmssl.evaluation.feature_cache import (extract_features as
                                            cache_features,
                                            load_feature_cache)
from mmssl.utils import register_all_modules
from mmssl.utils.checkpoint_loading import CheckpointMismatchError
from mmssl.utils.config_overrides import apply_overrides

CONFIG = osp.join(REPO_ROOT, VCOP_TINY)
REAL_CLIPS = os.environ.get(
    'MMSSL_TEST_VIDEOS', osp.expanduser('~/.cache/mmssl/test_videos'))


def _val_videos(root):
    with open(osp.join(root, 'val_list.txt')) as f:
        return [osp.join(root, line.split()[0]) for line in f if line.strip()]


def test_embeddings_equal_the_protocols_feature_cache(synthmotion, tmp_path):
    """Same videos, clips and random init: the API gives the features the
    retrieval / k-NN / linear-probe cache holds."""
    register_all_modules(init_default_scope=False)
    cfg = apply_overrides(Config.fromfile(CONFIG), None, synthmotion)
    cache_features(cfg, 'none', str(tmp_path), splits=('val', ),
                   num_clips=2, num_workers=0, show_progress=False)
    expected, _, _ = load_feature_cache(str(tmp_path), 'val')

    model = init_model(CONFIG, None, device='cpu')
    videos = _val_videos(synthmotion)
    out = extract_features(model, videos, num_clips=2, clip_level=True)
    assert out['video'].shape == (8, 128)
    assert out['clips'].shape == (8, 2, 128)
    assert out['filenames'] == videos
    torch.testing.assert_close(out['video'], expected)
    torch.testing.assert_close(out['clips'].mean(1), out['video'])
    single = extract_features(model, videos[3], num_clips=2, num_crops=3,
                              clip_level=True)
    assert single['video'].shape == (128, )
    assert single['clips'].shape == (6, 128)  # 2 clips x 3 crops
    assert model.keep_clip_features is False  # restored


def test_init_model_loads_the_checkpoint_strictly(tmp_path):
    path = tiny_checkpoint(str(tmp_path / 'tiny.pth'), seed=3)
    state = torch.load(path, weights_only=True)['state_dict']
    model = init_model(CONFIG, path)
    assert not model.training and model.cfg.filename == CONFIG
    for key, value in model.state_dict().items():
        assert torch.equal(value, state[key]), key
    state.pop('backbone.conv1.conv.weight')
    torch.save(dict(state_dict=state), str(tmp_path / 'partial.pth'))
    with pytest.raises(CheckpointMismatchError, match='missing 1 keys'):
        init_model(CONFIG, str(tmp_path / 'partial.pth'))
    with pytest.raises(FileNotFoundError, match='nope.pth'):
        init_model(CONFIG, str(tmp_path / 'nope.pth'))


def test_list_videos_of_folder_and_list(synthmotion):
    folder = list_videos(osp.join(synthmotion, 'videos'))
    assert len(folder) == 24
    assert folder[0][1] == osp.join('move_down', 'train_move_down_0000.mp4')
    listed = list_videos(osp.join(synthmotion, 'val_list.txt'))
    assert [p for p, _ in listed] == _val_videos(synthmotion)


def test_cli_embeds_a_folder_into_npy_files(synthmotion, tmp_path):
    tool = load_tool('tools/misc/embed_videos.py', 'embed_videos_tool')
    out = str(tmp_path / 'emb')
    index = tool.main([
        CONFIG, 'none', osp.join(synthmotion, 'val_list.txt'), '--out', out,
        '--num-clips', '2', '--clip-level', '--num-workers', '1'
    ])
    assert index['dim'] == 128 and not index['skipped']
    assert len(index['videos']) == 8
    with open(osp.join(out, 'index.json')) as f:
        assert json.load(f)['videos'] == index['videos']
    first = index['videos'][0]
    video = np.load(osp.join(out, first['file']))
    clips = np.load(osp.join(out, first['clips_file']))
    assert video.shape == (128, ) and clips.shape == (2, 128)
    np.testing.assert_allclose(clips.mean(0), video, rtol=1e-5, atol=1e-6)


def test_cli_skips_a_broken_video_and_goes_on(synthmotion, tmp_path):
    """The batch with the unreadable file is redone video by video, then
    the loader restarts after it."""
    folder = tmp_path / 'clips'
    folder.mkdir()
    videos = _val_videos(synthmotion)[:3]
    for name, video in zip(('a.mp4', 'c.mp4', 'd.mp4'), videos):
        os.symlink(video, folder / name)
    (folder / 'b.mp4').write_bytes(b'')  # empty: cannot be opened
    tool = load_tool('tools/misc/embed_videos.py', 'embed_videos_tool')
    index = tool.main([
        CONFIG, 'none', str(folder), '--out', str(tmp_path / 'emb'),
        '--num-clips', '1', '--batch-size', '1', '--num-workers', '0'
    ])
    assert [osp.basename(v['video']) for v in index['videos']
            ] == ['a.mp4', 'c.mp4', 'd.mp4']
    assert [osp.basename(s['video']) for s in index['skipped']] == ['b.mp4']
    assert 'b.mp4' in index['skipped'][0]['reason']


@pytest.mark.skipif(
    not osp.isfile(osp.join(REAL_CLIPS, 'carphone_pristine.mp4')),
    reason='real clips not fetched (bash tools/data/fetch_test_videos.sh)')
def test_cli_on_real_clips_skips_the_undecodable(tmp_path):
    """carphone (h264, a person) and tree.avi (cinepak, header over-reports
    the frames) embed; cityCC0.mpg (MPEG-PS, refused by decord) is
    skipped and listed."""
    folder = tmp_path / 'clips'
    folder.mkdir()
    for name in ('carphone_pristine.mp4', 'tree.avi', 'cityCC0.mpg'):
        os.symlink(osp.join(REAL_CLIPS, name), folder / name)
    tool = load_tool('tools/misc/embed_videos.py', 'embed_videos_tool')
    index = tool.main([
        CONFIG, 'none', str(folder), '--out', str(tmp_path / 'emb'),
        '--num-clips', '2', '--format', 'pt', '--num-workers', '0',
        '--batch-size', '1'
    ])
    assert [osp.basename(v['video']) for v in index['videos']
            ] == ['carphone_pristine.mp4', 'tree.avi']
    assert [osp.basename(s['video']) for s in index['skipped']
            ] == ['cityCC0.mpg']
    saved = torch.load(str(tmp_path / 'emb' / 'tree.avi.pt'),
                       weights_only=True)
    assert saved['video'].shape == (128, )
    assert torch.isfinite(saved['video']).all()
