"""TCLR / Simplified TCLR / STCLR / SpeedLoc samplers: exact layouts, skip rates,
label distributions, determinism, and the optional cross-video reads."""
import os.path as osp

import numpy as np
import pytest
from video_fixtures import frame_index, write_index_video

from mmssl.datasets.errors import VideoTooShortError
from mmssl.datasets.transforms import (ReadCrossVideoSpeedLocClips,
                                       SparseLocalSampleClips,
                                       SpeedLocTupleSampleClips, STCLRSampleClips,
                                       TCLRSampleClips, speed_tuple_label)
from mmssl.datasets.transforms.same_speed_sampling import speed_pairs
from mmssl.datasets.transforms.tclr_sampling import SPARSITY_PRESETS


def clips(results):
    return results['frame_inds'].reshape(results['num_clips'],
                                         results['clip_len'])


# ---------------------------------------------------------------- TCLR


def test_tclr_separate_layout_exact_in_test_mode():
    sampler = TCLRSampleClips(
        clip_len=8, num_local_clips=4, instance_rates=(1, 2), test_mode=True)
    np.random.seed(0)
    out = sampler(dict(total_frames=48))
    c = clips(out)
    assert out['num_clips'] == c.shape[0] == 11
    # local + global span 32 frames, centred in 48 -> start 8
    for p in range(4):
        assert c[2 + p].tolist() == list(range(8 + 8 * p, 16 + 8 * p))
        assert c[6 + p].tolist() == c[2 + p].tolist()  # twin
    assert c[10].tolist() == list(range(8, 40, 4))  # global, 4x rate
    # instance clips: rates 1 and 2 (either order), each centred
    rates = sorted(out['clip_rates'][:2].tolist())
    assert rates == [1, 2]
    assert out['clip_rates'].tolist()[2:] == [1] * 8 + [4]
    for k in range(2):
        r = out['clip_rates'][k]
        span = 7 * r + 1
        assert c[k].tolist() == list(
            range((48 - span) // 2, (48 - span) // 2 + span, r))


def test_tclr_dense_local_clips_adjacent_and_global_spans_them():
    sampler = TCLRSampleClips(clip_len=16, num_local_clips=4, local_rate=2)
    np.random.seed(1)
    for _ in range(50):
        out = sampler(dict(total_frames=300))
        c = clips(out)
        local, glob = c[2:6], c[10]
        assert (np.diff(local, axis=1) == 2).all()
        # adjacent and non-overlapping: each clip starts one step after the
        # previous clip's last frame
        assert (local[1:, 0] == local[:-1, -1] + 2).all()
        assert len(set(local.ravel().tolist())) == local.size
        assert (np.diff(glob) == 8).all()  # 4x the local rate
        assert glob[0] == local[0, 0] and glob[-1] <= local[-1, -1]
        # timestep group q of the global clip lies inside local clip q
        for q, group in enumerate(glob.reshape(4, 4)):
            assert local[q, 0] <= group.min() and group.max() <= local[q, -1]
        assert c.min() >= 0 and c.max() < 300


def test_tclr_global_mode_layout():
    sampler = TCLRSampleClips(clip_len=8, instance_mode='global')
    np.random.seed(0)
    out = sampler(dict(total_frames=64))
    c = clips(out)
    assert c.shape == (10, 8)
    assert c[0].tolist() == c[1].tolist()
    assert (np.diff(c[0]) == 4).all() and c[0, 0] == c[2, 0]
    assert out['clip_rates'].tolist() == [4, 4] + [1] * 8


def test_tclr_instance_rates_distinct_and_random_starts():
    sampler = TCLRSampleClips(clip_len=8, instance_rates=(1, 2, 3, 4))
    np.random.seed(0)
    starts, pairs = set(), set()
    for _ in range(200):
        out = sampler(dict(total_frames=80))
        c = clips(out)
        r0, r1 = out['clip_rates'][:2]
        assert r0 != r1 and {r0, r1} <= {1, 2, 3, 4}
        assert (np.diff(c[0]) == r0).all() and (np.diff(c[1]) == r1).all()
        starts.add(int(c[0, 0]))
        pairs.add((int(r0), int(r1)))
    assert len(pairs) == 12  # every ordered pair of distinct rates
    assert len(starts) > 20


def test_tclr_short_video_lowers_the_local_rate_and_bad_args():
    sampler = TCLRSampleClips(clip_len=8, local_rate=3)
    np.random.seed(0)
    # local rate 3 needs 31 * 3 + 1 = 94 frames; 70 frames fit rate 2
    out = sampler(dict(total_frames=70))
    c = clips(out)
    assert c.min() >= 0 and c.max() < 70
    assert out['frame_interval'] == 2
    assert out['clip_rates'][2:].tolist() == [2] * 8 + [8]
    assert (np.diff(c[2:6].ravel()) == 2).all()  # adjacent local clips
    with pytest.raises(VideoTooShortError, match='needs at least 32'):
        sampler(dict(total_frames=31))
    with pytest.raises(ValueError, match='instance_mode'):
        TCLRSampleClips(instance_mode='both')
    with pytest.raises(ValueError, match='divisible'):
        TCLRSampleClips(clip_len=10, num_local_clips=4)
    with pytest.raises(ValueError, match='two different skip rates'):
        TCLRSampleClips(instance_rates=(2, 2))


# ------------------------------------------------------ sparse / STCLR


@pytest.mark.parametrize('preset', ['low', 'medium', 'high', 'default'])
def test_sparse_presets_rates_and_twins(preset):
    sampler = SparseLocalSampleClips(clip_len=4, skip_rates=preset)
    rates = sorted(SPARSITY_PRESETS[preset])
    np.random.seed(0)
    for _ in range(20):
        out = sampler(dict(total_frames=400))
        c = clips(out)
        assert c.shape == (10, 4) and out['num_clips'] == 10
        assert sorted(out['local_rates'].tolist()) == rates
        assert (c[:5] == c[5:]).all()  # twins
        steps = np.diff(c[:5], axis=1)
        assert (steps == out['local_rates'][:, None]).all()
        assert out['clip_rates'].tolist() == out['local_rates'].tolist() * 2
        assert c.min() >= 0 and c.max() < 400


def test_sparse_presets_match_paper():
    assert SPARSITY_PRESETS['low'] == (1, 2, 3, 4, 5)
    assert SPARSITY_PRESETS['medium'] == (2, 4, 6, 8, 10)
    assert SPARSITY_PRESETS['high'] == (4, 8, 12, 16, 20)
    assert SPARSITY_PRESETS['default'] == (1, 4, 8, 16, 32)


def test_sparse_local_instance_pair_is_uniform_over_rate_pairs():
    sampler = SparseLocalSampleClips(clip_len=4, skip_rates='low')
    np.random.seed(0)
    counts = {}
    n = 4000
    for _ in range(n):
        r = sampler(dict(total_frames=100))['local_rates']
        key = tuple(sorted(r[:2].tolist()))
        counts[key] = counts.get(key, 0) + 1
    assert len(counts) == 10  # all C(5, 2) unordered pairs of rates
    for c in counts.values():
        assert abs(c / n - 0.1) < 0.025


def test_sparse_random_locations_independent_per_clip():
    sampler = SparseLocalSampleClips(clip_len=4, skip_rates=(1, 2, 3, 4, 5))
    np.random.seed(0)
    starts = np.array([clips(sampler(dict(total_frames=200)))[:5, 0]
                       for _ in range(300)])
    # each clip's start ranges over the video; starts are not tied together
    assert (starts.max(0) > 150).all() and (starts.min(0) < 30).all()
    corr = np.corrcoef(starts.T)[np.triu_indices(5, 1)]
    assert np.abs(corr).max() < 0.25


def test_sparse_separate_instance_clips():
    sampler = SparseLocalSampleClips(
        clip_len=4, skip_rates='low', instance_source='separate',
        instance_rates=(6, 7))
    np.random.seed(0)
    out = sampler(dict(total_frames=200))
    c = clips(out)
    assert c.shape == (12, 4)
    assert sorted(out['clip_rates'][:2].tolist()) == [6, 7]
    # rates keep their order in the separate layout
    assert out['local_rates'].tolist() == [1, 2, 3, 4, 5]
    assert (c[2:7] == c[7:]).all()
    with pytest.raises(ValueError, match='distinct'):
        SparseLocalSampleClips(skip_rates=(1, 1, 2))
    with pytest.raises(ValueError, match='preset'):
        SparseLocalSampleClips(skip_rates='extreme')


@pytest.mark.parametrize('sampler', [
    TCLRSampleClips(clip_len=8),
    SparseLocalSampleClips(clip_len=4, instance_source='separate'),
    STCLRSampleClips(clip_len=4, skip_rates='low', speedloc_speeds=6),
    SpeedLocTupleSampleClips(clip_len=4, speeds=8),
], ids=lambda s: type(s).__name__)
def test_determinism_under_seed(sampler):
    outs = []
    for _ in range(2):
        np.random.seed(123)
        outs.append([sampler(dict(total_frames=60)) for _ in range(5)])
    for a, b in zip(*outs):
        assert np.array_equal(a['frame_inds'], b['frame_inds'])
        assert np.array_equal(a['clip_rates'], b['clip_rates'])
        assert a.get('speedloc_label') == b.get('speedloc_label')
    # and the draws differ between samples
    assert len({o['frame_inds'].tobytes() for o in outs[0]}) > 1


def test_stclr_layout_appends_speedloc_tuple():
    sampler = STCLRSampleClips(
        clip_len=4, skip_rates='low', speedloc_num_clips=3, speedloc_speeds=(2, 5, 9))
    np.random.seed(0)
    for _ in range(20):
        out = sampler(dict(total_frames=300))
        c = clips(out)
        assert c.shape == (13, 4) and out['num_clips'] == 13
        speeds = out['speedloc_speeds']
        assert (np.diff(c[10:], axis=1) == speeds[:, None]).all()
        assert set(speeds.tolist()) <= {2, 5, 9}
        assert out['speedloc_label'] == speed_tuple_label(speeds)
        assert out['clip_rates'][10:].tolist() == speeds.tolist()


# ------------------------------------------------------------------ SpeedLoc


def test_speed_pairs_and_label_encoding():
    assert speed_pairs(3) == ((0, 1), (0, 2), (1, 2))
    # [12, 13, 23, None] -> [0, 1, 2, 3]; all equal -> invalid (-1)
    speeds = np.array([[4, 4, 2], [4, 2, 4], [2, 4, 4], [1, 2, 3], [3, 3, 3]])
    assert speed_tuple_label(speeds).tolist() == [0, 1, 2, 3, -1]


def test_speedloc_label_distribution_under_c2():
    sampler = SpeedLocTupleSampleClips(clip_len=4, speeds=16, same_prob=0.75)
    np.random.seed(0)
    n = 4000
    labels, speeds_seen = [], set()
    for _ in range(n):
        out = sampler(dict(total_frames=100))
        speeds = out['speedloc_speeds']
        assert speed_tuple_label(speeds) == out['speedloc_label']
        assert speeds.min() >= 1 and speeds.max() <= 16
        labels.append(out['speedloc_label'])
        speeds_seen.update(speeds.tolist())
    freq = np.bincount(labels, minlength=4) / n
    # C2 = 0.75 spread uniformly over the 3 pair positions; C3 = 0.25 None
    assert np.allclose(freq, [0.25, 0.25, 0.25, 0.25], atol=0.03)
    assert speeds_seen == set(range(1, 17))


@pytest.mark.parametrize('c2', [0.0, 0.4, 1.0])
def test_speedloc_none_probability_is_one_minus_c2(c2):
    sampler = SpeedLocTupleSampleClips(clip_len=2, speeds=8, same_prob=c2)
    np.random.seed(1)
    labels = [sampler(dict(total_frames=50))['speedloc_label']
              for _ in range(2000)]
    assert abs(np.mean(np.array(labels) == 3) - (1 - c2)) < 0.035
    assert sampler.none_prob == pytest.approx(1 - c2)


def test_speedloc_short_video_draws_fitting_speeds_only():
    sampler = SpeedLocTupleSampleClips(clip_len=8, speeds=(1, 3, 5, 10),
                                       num_clips=2)
    np.random.seed(0)
    for _ in range(50):
        out = sampler(dict(total_frames=40))  # speed 10 needs 71 frames
        c = clips(out)
        assert set(out['speedloc_speeds'].tolist()) <= {1, 3, 5}
        for clip, s in zip(c, out['speedloc_speeds']):
            assert (np.diff(clip) == s).all()
            assert clip.min() >= 0 and clip.max() < 40
        assert out['speedloc_label'] == speed_tuple_label(
            out['speedloc_speeds'])
    assert sampler.min_frames == 22  # two distinct speeds (1, 3)


def test_speedloc_bad_arguments():
    with pytest.raises(ValueError, match='C3'):
        SpeedLocTupleSampleClips(same_prob=0.75, none_prob=0.3)
    SpeedLocTupleSampleClips(same_prob=0.75, none_prob=0.25)
    with pytest.raises(ValueError, match='num_same'):
        SpeedLocTupleSampleClips(num_same=3)
    with pytest.raises(ValueError, match='distinct'):
        SpeedLocTupleSampleClips(num_clips=3, speeds=2)


# ------------------------------------------------- cross-video reads


@pytest.fixture(scope='module')
def four_videos(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('cross'))
    names = []
    for i, n in enumerate((30, 35, 40, 45)):
        names.append(f'v{i}.avi')
        write_index_video(osp.join(root, names[-1]), n, size=32 * (1 + i % 2))
    ann = osp.join(root, 'list.txt')
    with open(ann, 'w') as f:
        f.write(''.join(f'{n} 0\n' for n in names))
    return dict(root=root, names=names, ann=ann)


def _decoded_sample(four_videos, speeds):
    """A decoded STCLR-like sample: 2 other clips + 3 SpeedLoc clips, 4 frames
    each, all frames a constant 255 so replaced frames are recognisable."""
    imgs = [np.full((24, 24, 3), 255, np.uint8) for _ in range(5 * 4)]
    return dict(
        imgs=imgs, clip_len=4, num_clips=5, speedloc_speeds=np.array(speeds),
        filename=osp.join(four_videos['root'], four_videos['names'][0]))


def test_cross_video_reads_replace_speedloc_clips_at_same_speeds(four_videos):
    t = ReadCrossVideoSpeedLocClips(
        four_videos['ann'], dict(video=four_videos['root']), prob=1.0)
    np.random.seed(0)
    out = t(_decoded_sample(four_videos, [2, 2, 3]))
    assert out['speedloc_cross_video'] == 1 and out['num_extra_reads'] == 3
    imgs = out['imgs']
    assert all(f.shape == (24, 24, 3) for f in imgs)  # resized
    assert all((f == 255).all() for f in imgs[:8])  # other clips untouched
    for k, s in enumerate([2, 2, 3]):
        idx = [frame_index(f) for f in imgs[8 + 4 * k:12 + 4 * k]]
        assert np.diff(idx).tolist() == [s] * 3


def test_cross_video_reads_lower_speeds_that_do_not_fit(four_videos):
    """Old code wrapped such clips ('loop'); now the speed drops to the
    largest that fits the other video, and speeds, label and clip_rates
    say so."""
    t = ReadCrossVideoSpeedLocClips(
        four_videos['ann'], dict(video=four_videos['root']), prob=1.0)
    np.random.seed(0)
    for _ in range(6):
        sample = _decoded_sample(four_videos, [12, 12, 3])
        sample['clip_rates'] = np.array([1, 2, 12, 12, 3])
        sample['speedloc_label'] = 0
        out = t(sample)
        speeds = out['speedloc_speeds']
        assert out['clip_rates'].tolist() == [1, 2] + speeds.tolist()
        assert out['speedloc_label'] == speed_tuple_label(speeds)
        for k, s in enumerate(speeds):
            idx = [frame_index(f) for f in out['imgs'][8 + 4 * k:12 + 4 * k]]
            assert np.diff(idx).tolist() == [s] * 3
            assert s <= 12
    # a drawn video too short for any clip: the sample keeps its own tuple
    t._read_clip = lambda *args: None
    out = t(_decoded_sample(four_videos, [1, 2, 3]))
    assert out['speedloc_cross_video'] == 0
    assert all((f == 255).all() for f in out['imgs'])


def test_cross_video_reads_use_distinct_other_videos(four_videos,
                                                     monkeypatch):
    t = ReadCrossVideoSpeedLocClips(
        four_videos['ann'], four_videos['root'], prob=1.0)
    seen = []

    def fake_read(path, speed, clip_len, size):
        seen.append(path)
        return [np.zeros((*size, 3), np.uint8)] * clip_len, speed

    monkeypatch.setattr(t, '_read_clip', fake_read)
    np.random.seed(0)
    for _ in range(20):
        seen.clear()
        t(_decoded_sample(four_videos, [1, 2, 3]))
        assert len(set(seen)) == 3
        assert osp.basename(seen[0]) != four_videos['names'][0]
        assert four_videos['names'][0] not in map(osp.basename, seen)


def test_cross_video_reads_probability_zero_and_errors(four_videos):
    t = ReadCrossVideoSpeedLocClips(four_videos['ann'], four_videos['root'],
                               prob=0.0)
    sample = _decoded_sample(four_videos, [1, 2, 3])
    out = t(dict(sample))
    assert out['speedloc_cross_video'] == 0 and out['num_extra_reads'] == 0
    assert all((f == 255).all() for f in out['imgs'])
    with pytest.raises(ValueError, match='C1'):
        ReadCrossVideoSpeedLocClips(four_videos['ann'], prob=1.5)
    t = ReadCrossVideoSpeedLocClips(four_videos['ann'], four_videos['root'],
                               prob=1.0)
    with pytest.raises(ValueError, match='other videos'):
        t(_decoded_sample(four_videos, [1, 2, 3, 4]))


def test_cross_video_reads_are_frame_accurate(tmp_path):
    """Extra reads go through the accurate decode layer: on MPEG-4 Part 2
    with B-frames decord's random get_batch (the old read) misnumbers
    frames; every read frame must carry the index the sampler chose."""
    pytest.importorskip('av')
    from video_fixtures import read_frame_code, write_coded_video
    names = []
    for k in range(4):
        name = f'coded{k}.avi'
        write_coded_video(str(tmp_path / name), 60, 'mpeg4_part2_bframes_avi')
        names.append(name)
    ann = tmp_path / 'list.txt'
    ann.write_text(''.join(f'{n} 0\n' for n in names))
    t = ReadCrossVideoSpeedLocClips(str(ann), dict(video=str(tmp_path)),
                                    prob=1.0)
    assert t.access == 'sequential'
    captured = []
    place = t._read_clip

    def spy(path, speed, clip_len, size):
        out = place(path, speed, clip_len, size)
        captured.append(out)
        return out

    t._read_clip = spy
    imgs = [np.zeros((64, 64, 3), np.uint8) for _ in range(5 * 4)]
    np.random.seed(3)
    out = t(dict(imgs=imgs, clip_len=4, num_clips=5,
                 speedloc_speeds=np.array([2, 5, 9]),
                 filename=str(tmp_path / names[0])))
    assert out['num_extra_reads'] == 3 and len(captured) == 3
    for k, (frames, speed) in enumerate(captured):
        codes = [read_frame_code(f) for f in frames]
        assert np.diff(codes).tolist() == [speed] * 3
        got = [read_frame_code(f) for f in out['imgs'][8 + 4 * k:12 + 4 * k]]
        assert got == codes
