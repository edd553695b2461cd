"""Vectorised transforms equal the per-frame loops they replaced."""
import numpy as np
import pytest

from mmssl.datasets.transforms.view_perturbations import ClipMotionJitter


def _loop_jitter(arr, offsets, s):
    """The former per-frame implementation of ClipMotionJitter."""
    padded = np.pad(arr, ((0, 0), (s, s), (s, s), (0, 0)), mode='edge')
    h, w = arr.shape[1:3]
    out = np.empty_like(arr)
    for i, (dy, dx) in enumerate(offsets):
        out[i] = padded[i, s - dy:s - dy + h, s - dx:s - dx + w]
    return out


@pytest.mark.parametrize('as_array', [True, False])
@pytest.mark.parametrize('max_shift', [1, 3])
def test_motion_jitter_matches_per_frame_loop(as_array, max_shift):
    rng = np.random.default_rng(0)
    arr = rng.integers(0, 256, (6, 9, 11, 3), dtype=np.uint8)
    np.random.seed(1)
    out = ClipMotionJitter(max_shift=max_shift, p=1.0)(
        dict(imgs=arr if as_array else list(arr)))
    offsets = out['jitter_offsets']
    expected = _loop_jitter(arr, offsets, max_shift)
    got = np.stack(out['imgs'])
    assert got.dtype == arr.dtype and got.shape == arr.shape
    np.testing.assert_array_equal(got, expected)
    assert isinstance(out['imgs'], np.ndarray) == as_array
