"""ImageNet-C noise transforms (mmssl.datasets.transforms.corruptions):
statistics of each noise on constant images, determinism per video and
frame, uint8 clipping, and the pipeline contract."""
import numpy as np
import pytest

from mmssl.datasets.transforms.corruptions import (NOISE_SEVERITIES,
                                                   ClipNoise, apply_noise)


def constant(value, shape=(200, 200, 3)):
    return np.full(shape, value, dtype=np.uint8)


@pytest.mark.parametrize('severity', [1, 2, 3, 4, 5])
def test_gaussian_std_per_severity(severity):
    c = NOISE_SEVERITIES['gaussian'][severity - 1]
    # mid-grey: clipping at 0/255 is > 3.5 sigma away up to severity 3
    out = apply_noise(constant(128), 'gaussian', severity,
                      np.random.default_rng(0)).astype(float) / 255
    if severity <= 3:
        assert out.std() == pytest.approx(c, rel=0.03)
        assert out.mean() == pytest.approx(128 / 255, abs=2e-3)
    else:  # clipping shrinks the spread
        assert 0.8 * c < out.std() < c


@pytest.mark.parametrize('severity', [1, 3, 5])
def test_shot_noise_is_poisson(severity):
    c = NOISE_SEVERITIES['shot'][severity - 1]
    x = 0.2  # value 51
    out = apply_noise(constant(51), 'shot', severity,
                      np.random.default_rng(1)).astype(float) / 255
    # Poisson(c x) / c: mean x, variance x / c
    assert out.mean() == pytest.approx(x, abs=0.01)
    assert out.var() == pytest.approx(x / c, rel=0.08)


@pytest.mark.parametrize('severity', [1, 4])
def test_impulse_fraction_per_value(severity):
    c = NOISE_SEVERITIES['impulse'][severity - 1]
    out = apply_noise(constant(100), 'impulse', severity,
                      np.random.default_rng(2))
    salt, pepper = (out == 255).mean(), (out == 0).mean()
    assert salt + pepper == pytest.approx(c, rel=0.05)
    assert salt == pytest.approx(pepper, rel=0.1)
    assert set(np.unique(out)) == {0, 100, 255}
    # values (not pixels) are replaced independently: channels differ
    flipped = out != 100
    assert (flipped.any(axis=2) & ~flipped.all(axis=2)).any()


def test_speckle_scales_with_the_pixel():
    c = NOISE_SEVERITIES['speckle'][0]
    rng = np.random.default_rng(3)
    out = apply_noise(constant(100), 'speckle', 1, rng).astype(float) / 255
    assert out.std() == pytest.approx(c * 100 / 255, rel=0.03)
    black = apply_noise(constant(0), 'speckle', 5, rng)
    assert not black.any()  # x + x * n = 0 for x = 0


def test_uint8_clipping():
    for noise in NOISE_SEVERITIES:
        for value in (0, 255):
            out = apply_noise(constant(value, (50, 50, 3)), noise, 5,
                              np.random.default_rng(4))
            assert out.dtype == np.uint8
    white = apply_noise(constant(250), 'gaussian', 5,
                        np.random.default_rng(5))
    assert white.max() == 255 and (white == 255).mean() > 0.3


def results(num_frames=4, filename='a/video1.mp4', offset=0):
    gen = np.random.default_rng(6)
    frames = [gen.integers(0, 256, (8, 8, 3), dtype=np.uint8)
              for _ in range(num_frames)]
    for frame in frames:
        frame.flags.writeable = False  # shared decoded frames
    return dict(imgs=frames, filename=filename,
                frame_inds=np.arange(num_frames) + offset)


def test_deterministic_per_video_and_frame():
    noise = ClipNoise('gaussian', 3, seed=0)
    first = noise(results())['imgs']
    again = ClipNoise('gaussian', 3, seed=0)(results())['imgs']
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    other_video = noise(results(filename='a/video2.mp4'))['imgs']
    other_seed = ClipNoise('gaussian', 3, seed=1)(results())['imgs']
    assert not np.array_equal(first[0], other_video[0])
    assert not np.array_equal(first[0], other_seed[0])
    # a frame index seen by two clips gets the same noise
    shifted = noise(results(offset=2))['imgs']
    clean = results()['imgs']
    same_pixels = [np.array_equal(clean[i], clean[0]) for i in range(4)]
    assert not any(same_pixels[1:])
    rng_frame2 = noise._rng('a/video1.mp4', 2)
    expected = apply_noise(clean[0], 'gaussian', 3, rng_frame2)
    assert np.array_equal(shifted[0], expected)


def test_frames_get_independent_or_shared_noise():
    frames = results()
    frames['imgs'] = [frames['imgs'][0]] * 4  # a static clip
    independent = ClipNoise('impulse', 2)(dict(frames))['imgs']
    shared = ClipNoise('impulse', 2, shared_across_frames=True)(
        dict(frames))['imgs']
    assert not np.array_equal(independent[0], independent[1])
    assert all(np.array_equal(shared[0], f) for f in shared[1:])


def test_bad_settings_and_contract():
    with pytest.raises(ValueError, match='unknown noise'):
        ClipNoise('blur', 1)
    with pytest.raises(ValueError, match='severity'):
        ClipNoise('shot', 6)
    sample = results()
    sample['frame_inds'] = np.arange(3)
    with pytest.raises(ValueError, match='frame_inds'):
        ClipNoise('shot', 1)(sample)
    stacked = results()
    stacked['imgs'] = np.stack(stacked['imgs'])
    out = ClipNoise('shot', 1)(stacked)['imgs']
    assert isinstance(out, np.ndarray) and out.shape == (4, 8, 8, 3)
