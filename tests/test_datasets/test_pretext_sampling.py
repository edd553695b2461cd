"""RotNet-3D rotations and PRP dilated sampling: exact angles and indices,
label distributions, determinism, single decode."""
import numpy as np
import pytest
import torch
from mmengine.registry import init_default_scope
from video_fixtures import frame_index

from mmssl.datasets.errors import VideoTooShortError
from mmssl.datasets.transforms import PRPSampleClip
from mmssl.models.utils.rotation import (center_crop_square, check_angles,
                                         draw_rotation_labels, rotate_clips)
from mmssl.registry import TRANSFORMS

# ----------------------------------------------------------------- RotNet-3D


def tiny_clip():
    """(1, 1, 2, 2, 2): frame 0 = [[1, 2], [3, 4]], frame 1 = 10 x that."""
    frame = torch.tensor([[1., 2.], [3., 4.]])
    return torch.stack([frame, 10 * frame]).view(1, 1, 2, 2, 2)


@pytest.mark.parametrize(
    'turns, expected',
    [
        (0, [[1, 2], [3, 4]]),
        (1, [[2, 4], [1, 3]]),  # 90 deg anticlockwise as displayed
        (2, [[4, 3], [2, 1]]),  # 180
        (3, [[3, 1], [4, 2]]),  # 270 (= 90 clockwise)
    ])
def test_rotate_clips_exact_on_every_frame(turns, expected):
    out = rotate_clips(tiny_clip(), torch.tensor([turns]))
    expected = torch.tensor(expected, dtype=torch.float32)
    assert torch.equal(out[0, 0, 0], expected)
    assert torch.equal(out[0, 0, 1], 10 * expected)


def test_rotate_clips_per_clip_turns_and_errors():
    clips = tiny_clip().repeat(4, 1, 1, 1, 1)
    out = rotate_clips(clips, torch.tensor([3, 0, 1, 6]))  # 6 -> 2 turns
    for n, k in enumerate((3, 0, 1, 2)):
        assert torch.equal(out[n], torch.rot90(clips[n], k, dims=(-2, -1)))
    wide = torch.zeros(2, 1, 1, 2, 3)
    assert rotate_clips(wide, torch.tensor([0, 2])).shape == wide.shape
    with pytest.raises(ValueError, match='square'):
        rotate_clips(wide, torch.tensor([0, 1]))
    with pytest.raises(ValueError, match='quarter_turns'):
        rotate_clips(clips, torch.tensor([0]))
    assert center_crop_square(torch.zeros(1, 3, 4, 6, 10)).shape == (1, 3, 4,
                                                                    6, 6)


def test_angle_sets_are_validated():
    assert check_angles([0, 90, 180, 270]) == (0, 90, 180, 270)
    for bad in ([0, 45], [0, 360], [0, 0], [90]):
        with pytest.raises(ValueError, match='angles'):
            check_angles(bad)


def test_rotation_labels_all_mode_exact():
    labels = draw_rotation_labels(3, 4, mode='all')
    assert labels.tolist() == [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3]
    with pytest.raises(ValueError, match='mode'):
        draw_rotation_labels(3, 4, mode='some')


@pytest.mark.parametrize('num_classes', [2, 3, 4])
def test_rotation_labels_random_mode_uniform_and_seeded(num_classes):
    draws = 6000
    torch.manual_seed(0)
    labels = draw_rotation_labels(draws, num_classes, mode='random')
    counts = torch.bincount(labels, minlength=num_classes).numpy()
    p = 1 / num_classes
    sigma = np.sqrt(draws * p * (1 - p))
    assert labels.min() >= 0 and labels.max() < num_classes
    assert np.all(np.abs(counts - draws * p) < 5 * sigma), counts
    torch.manual_seed(0)
    assert torch.equal(labels,
                       draw_rotation_labels(draws, num_classes, 'random'))


def test_rotnet_batch_angles_match_labels():
    """The algorithm's rotated batch: clip n with label l is the input
    rotated by angles[l]."""
    from mmssl.registry import MODELS
    init_default_scope('mmssl')
    model = MODELS.build(
        dict(
            type='RotNet3D',
            angles=(0, 90, 180, 270),
            rotation_mode='random',
            backbone=dict(
                type='ResNet3d',
                depth=18,
                stage_blocks=(1, 1, 1, 1),
                base_channels=4,
                pretrained=None,
                pretrained2d=False),
            head=dict(type='RotNetHead', num_classes=4)))
    inputs = torch.randn(3, 2, 1, 2, 4, 4)  # B=3 videos x V=2 clips
    torch.manual_seed(1)
    clips, labels = model.rotated_batch(inputs)
    flat = inputs.flatten(0, 1)
    assert clips.shape == flat.shape and labels.shape == (6, )
    for n in range(6):
        assert torch.equal(clips[n],
                           torch.rot90(flat[n], int(labels[n]), (-2, -1)))
    model.rotation_mode = 'all'
    clips, labels = model.rotated_batch(inputs)
    assert labels.tolist() == [0] * 6 + [1] * 6 + [2] * 6 + [3] * 6
    for k in range(4):
        assert torch.equal(clips[6 * k:6 * (k + 1)],
                           torch.rot90(flat, k, (-2, -1)))


# ------------------------------------------------------------------ PRP


def draw(sampler, total_frames, seed=None):
    if seed is not None:
        np.random.seed(seed)
    return sampler(dict(total_frames=total_frames))


def test_prp_exact_indices_in_test_mode():
    """clip_len 4 in 40 frames, centred: the tuple spans 4 * s frames."""
    sampler = PRPSampleClip(clip_len=4, rates=(1, 2, 4, 8), test_mode=True)
    expected = {
        # rate: (sampled, skipped); start = (40 - 4 s) // 2
        1: ([18, 19, 20, 21], [18, 19, 20, 21]),
        2: ([16, 18, 20, 22], [17, 19, 21, 23]),
        4: ([12, 16, 20, 24], [14, 18, 22, 26]),
        8: ([4, 12, 20, 28], [8, 16, 24, 32]),
    }
    seen = set()
    np.random.seed(0)
    for _ in range(60):
        out = draw(sampler, 40)
        rate = (1, 2, 4, 8)[out['rate_label']]
        seen.add(rate)
        sampled, skipped = expected[rate]
        assert out['frame_inds'].tolist() == sampled + skipped
        assert out['playback_rate'] == rate == out['frame_interval']
        assert (out['clip_len'], out['num_clips']) == (4, 2)
        mask = [1, 0] * 4 if rate == 1 else [1] * 8
        assert out['recon_mask'].tolist() == mask
        assert out['recon_mask'].dtype == np.float32
    assert seen == {1, 2, 4, 8}


def test_prp_random_start_in_range_and_without_skipped():
    sampler = PRPSampleClip(clip_len=3, rates=(2, 6))
    np.random.seed(1)
    starts = set()
    for _ in range(200):
        out = draw(sampler, 30)
        s = out['playback_rate']
        inds = out['frame_inds'].reshape(2, 3)
        t0 = inds[0, 0]
        starts.add((s, int(t0)))
        assert 0 <= t0 <= 30 - 3 * s
        assert inds[0].tolist() == [t0, t0 + s, t0 + 2 * s]
        assert inds[1].tolist() == (inds[0] + s // 2).tolist()
    # every start position of each rate is reachable (uniform start)
    assert {t for s, t in starts if s == 6} == set(range(13))
    plain = PRPSampleClip(clip_len=3, rates=(1, 4), with_skipped=False)
    out = draw(plain, 30, seed=0)
    assert out['num_clips'] == 1 and len(out['frame_inds']) == 3
    assert 'recon_mask' not in out


def test_prp_short_video_draws_only_fitting_rates():
    """Old code wrapped a rate-8 clip on 10 frames ('loop'); now only the
    rates whose span fits are drawn and the label is the real step."""
    sampler = PRPSampleClip(clip_len=4, rates=(8, 2, 4))
    np.random.seed(0)
    labels = set()
    for _ in range(60):
        out = draw(sampler, 10)  # spans 32, 8, 16: only rate 2 fits
        labels.add(out['rate_label'])
        clip = out['frame_inds'][:4]
        assert (np.diff(clip) == out['playback_rate']).all()
        assert out['frame_inds'].max() < 10
    assert labels == {1}
    assert {draw(sampler, 16)['playback_rate'] for _ in range(60)} == {2, 4}
    assert sampler.min_frames == 8
    with pytest.raises(VideoTooShortError, match='needs at least 8'):
        draw(sampler, 7)


@pytest.mark.parametrize('rates', [(1, 2), (1, 2, 4), (1, 2, 4, 8)])
def test_prp_rate_label_distribution_uniform(rates):
    sampler = PRPSampleClip(clip_len=2, rates=rates)
    np.random.seed(0)
    draws = 4000
    labels = np.array(
        [draw(sampler, 64)['rate_label'] for _ in range(draws)])
    counts = np.bincount(labels, minlength=len(rates))
    p = 1 / len(rates)
    sigma = np.sqrt(draws * p * (1 - p))
    assert np.all(np.abs(counts - draws * p) < 5 * sigma), counts


def test_prp_deterministic_under_seed():
    sampler = PRPSampleClip(clip_len=4)
    runs = []
    for _ in range(2):
        np.random.seed(123)
        runs.append([(o['rate_label'], o['frame_inds'].tolist())
                     for o in (draw(sampler, 100) for _ in range(20))])
    assert runs[0] == runs[1]


def test_prp_bad_rates_are_named():
    for rates in ((1, 3), (2, ), (2, 2), (0, 2)):
        with pytest.raises(ValueError, match='rates'):
            PRPSampleClip(rates=rates)


def test_prp_single_decode_of_sampled_and_skipped_frames(index_videos):
    """Sampled and skipped frames come from one union decode, in order."""
    init_default_scope('mmssl')
    sample = TRANSFORMS.build(
        dict(type='PRPSampleClip', clip_len=4, rates=(1, 4)))
    pipeline = [
        TRANSFORMS.build(dict(type='SafeDecordInit')), sample,
        TRANSFORMS.build(dict(type='DecordDecodeUnion')),
        TRANSFORMS.build(dict(type='FormatShape', input_format='NCTHW')),
        TRANSFORMS.build(
            dict(
                type='PackSSLInputs',
                target_keys=('rate_label', 'recon_mask')))
    ]
    np.random.seed(0)
    seen = set()
    for _ in range(12):
        results = dict(filename=index_videos['long'], label=0)
        for t in pipeline[:3]:
            results = t(results)
        inds = results['frame_inds'].tolist()
        assert [frame_index(f) for f in results['imgs']] == inds
        rate = results['playback_rate']
        seen.add(rate)
        assert results['num_decoded_frames'] == (4 if rate == 1 else 8)
        packed = pipeline[4](pipeline[3](results))
        assert packed['inputs'].shape == (2, 3, 4, 32, 32)
        assert packed['data_samples'].recon_mask.shape == (8, )
        assert int(packed['data_samples'].rate_label) == (0 if rate == 1
                                                          else 1)
    assert seen == {1, 4}
