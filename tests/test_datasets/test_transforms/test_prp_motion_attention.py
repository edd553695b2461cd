"""PRP's original motion attention: segment frame indices, the Gaussian map
against a loop transcription of the authors' patch search, and the
per-target weights."""
import math

import numpy as np
import pytest

import mmssl.datasets  # noqa: F401
from mmssl.datasets.transforms.prp_motion_attention import (
    PRPMotionAttention, PRPMotionFrames, gaussian_motion_map,
    segment_offsets, target_segments)


def test_segment_offsets_are_prps_for_16_frames():
    assert segment_offsets(16).tolist() == [0, 5, 10, 15]
    assert segment_offsets(6).tolist() == [0, 2, 3, 5]


def test_motion_frames_exact_indices():
    rate, t0 = 4, 10
    sampled = t0 + rate * np.arange(16)
    skipped = sampled + rate // 2
    results = dict(
        frame_inds=np.concatenate([sampled, skipped]),
        playback_rate=rate,
        clip_len=16,
        total_frames=300)
    out = PRPMotionFrames()(results)
    assert out['frame_inds'][:32].tolist() == np.concatenate(
        [sampled, skipped]).tolist()
    assert out['frame_inds'][32:].tolist() == [
        10, 15, 20, 25, 26, 31, 36, 41, 42, 47, 52, 57, 58, 63, 68, 73
    ]
    assert out['motion_frame_count'] == 16
    # rate 1: one segment; a looped clip wraps its segment frames too
    loop = PRPMotionFrames(segment_len=16, offsets=(0, 5, 10, 15))(
        dict(frame_inds=np.arange(50, 82) % 60, playback_rate=2,
             clip_len=16, total_frames=60))
    assert loop['frame_inds'][32:].tolist() == [50, 55, 0, 5, 6, 11, 16, 21]
    with pytest.raises(ValueError, match='outside a segment'):
        PRPMotionFrames(offsets=(0, 16))(dict(results, frame_inds=sampled))


def test_target_segments():
    assert target_segments(16, 1, 16).tolist() == [0] * 32
    assert target_segments(16, 2, 16).tolist() == [0] * 16 + [1] * 16
    assert target_segments(16, 8, 16).tolist() == [
        j // 4 for j in range(32)
    ]


def authors_map(frames, patch, low=0.8, high=2.0):
    """Loop transcription of PRP's getPatchLossMask_stepsize + the Gaussian
    of predict_dataset.py, on (4, H, H, C) frames."""
    size = frames.shape[1]
    step = int(patch / 4)
    best, best_y, best_x = 0.0, 0, 0
    y = 0
    while y <= size - patch:
        x = 0
        while x <= size - patch:
            loss = 0.0
            for a, b in ((0, 1), (1, 2), (2, 3)):
                pa = frames[a, y:y + patch, x:x + patch].astype(float)
                pb = frames[b, y:y + patch, x:x + patch].astype(float)
                loss += ((pa - pb)**2).mean()
            if loss >= best:
                best, best_y, best_x = loss, y, x
            x += step
        y += step
    sigma = patch / 2
    fx = np.array([
        math.exp(-0.5 * (v - (best_y + patch / 2))**2 / sigma**2)
        for v in range(size)
    ])
    fy = np.array([
        math.exp(-0.5 * (v - (best_x + patch / 2))**2 / sigma**2)
        for v in range(size)
    ])
    f = np.outer(fx, fy)
    f = (high - low) / (f.max() - f.min()) * (f - f.min()) + low
    return f, (best_y, best_x)


@pytest.mark.parametrize('seed', [0, 1])
def test_gaussian_map_matches_authors_loops(seed):
    rng = np.random.default_rng(seed)
    frames = rng.integers(0, 40, (4, 32, 32, 3)).astype(np.uint8)
    # a bright square moving across the lower left
    for i in range(4):
        frames[i, 18:26, 3 + 3 * i:11 + 3 * i] = 250
    ours, peak = gaussian_motion_map(frames, patch_frac=0.25)
    ref, ref_peak = authors_map(frames, patch=8)
    assert peak == ref_peak
    assert np.allclose(ours, ref, atol=1e-6)
    assert ours.min() == pytest.approx(0.8) and ours.max() == pytest.approx(
        2.0)


def test_static_segment_peaks_at_the_last_patch_like_the_authors():
    frames = np.full((4, 16, 16, 3), 7, np.uint8)
    _, peak = gaussian_motion_map(frames)
    assert peak == (12, 12) == authors_map(frames, patch=4)[1]


def test_motion_attention_removes_frames_and_maps_targets_to_segments():
    rate, clip_len, size = 2, 4, 16
    clip = [np.zeros((size, size, 3), np.uint8) for _ in range(2 * clip_len)]
    motion = []
    for seg, (y, x) in enumerate(((0, 0), (12, 12))):
        for i in range(4):  # moving blob near (y, x) in segment `seg`
            f = np.zeros((size, size, 3), np.uint8)
            f[y:y + 4, x:x + 4] = 60 * i
            motion.append(f)
    results = dict(
        imgs=clip + motion,
        motion_frame_count=8,
        motion_segment_len=clip_len,
        playback_rate=rate,
        clip_len=clip_len)
    out = PRPMotionAttention()(results)
    assert len(out['imgs']) == 2 * clip_len
    assert 'motion_frame_count' not in out
    weight = out['motion_weight']
    assert weight.shape == (2 * clip_len, size, size)
    assert weight.dtype == np.float32
    maps = [gaussian_motion_map(np.stack(motion[4 * s:4 * s + 4]))[0]
            for s in range(2)]
    for j in range(2 * clip_len):  # targets 0-3 in segment 0, 4-7 in 1
        assert np.array_equal(weight[j], maps[j // 4])
    assert out['motion_peaks'] == [(0, 0), (12, 12)]
    assert weight[0, 2, 2] > weight[0, 13, 13]
    assert weight[7, 13, 13] > weight[7, 2, 2]


def test_paper_pipeline_decodes_segment_frames_and_packs_weights(tmp_path):
    """The PRP paper config's pipeline on an index-coded video: the appended
    frames are the segment frames, removed again before packing."""
    import os.path as osp

    from mmengine.config import Config
    from mmengine.dataset import Compose
    from mmengine.registry import init_default_scope
    from video_fixtures import frame_index, write_index_video

    repo = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
        osp.abspath(__file__)))))
    cfg = Config.fromfile(
        osp.join(repo, 'configs/prp/'
                 'prp_r2plus1d-vcop_1xb8-16x112x112-4rates-200e_k400-50k.py'))
    init_default_scope('mmssl')
    video = write_index_video(str(tmp_path / 'v.avi'), 50, size=32)
    steps = cfg.train_pipeline
    cut = [t['type'] for t in steps].index('DecordDecodeUnion') + 1
    np.random.seed(3)
    head = Compose(steps[:cut])(dict(filename=video, label=0, start_index=0,
                                     modality='RGB'))
    rate = head['playback_rate']
    inds = head['frame_inds']
    assert len(inds) == 32 + 4 * rate
    assert [frame_index(f) for f in head['imgs']] == inds.tolist()
    assert inds[32:].tolist() == [
        (inds[0] + 16 * i + o) % 50 for i in range(rate)
        for o in (0, 5, 10, 15)
    ]
    out = Compose(steps[cut:])(head)
    assert tuple(out['inputs'].shape) == (2, 3, 16, 112, 112)
    weight = out['data_samples'].motion_weight
    assert tuple(weight.shape) == (32, 112, 112)
    assert float(weight.min()) == pytest.approx(0.8, abs=1e-5)
