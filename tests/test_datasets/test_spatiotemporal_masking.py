"""Patch-grid / random-block / whole-frame masks (multi-task SSL, 3.4):
the requested ratio and the structure of each mode."""
import numpy as np
import pytest

from mmssl.datasets.transforms import (SpatioTemporalMaskGenerator,
                                       frame_mask, patch_grid_mask,
                                       random_block_mask)


def _neighbour_fraction(masks, grid):
    """Fraction of masked tokens with a masked 4-neighbour in their frame."""
    m = masks.reshape(-1, *grid)
    pad = np.pad(m, ((0, 0), (0, 0), (1, 1), (1, 1)))
    nb = (pad[..., :-2, 1:-1] | pad[..., 2:, 1:-1] | pad[..., 1:-1, :-2]
          | pad[..., 1:-1, 2:])
    return (nb & m).sum() / m.sum()


@pytest.mark.parametrize('fn', [patch_grid_mask, random_block_mask])
@pytest.mark.parametrize('ratio', [0.15, 0.45, 0.6])
def test_patch_and_block_masks_hit_the_ratio_exactly(fn, ratio):
    grid = (8, 7, 7)
    masks = fn(grid, ratio, 16, np.random.default_rng(0))
    assert masks.shape == (16, 8 * 49) and masks.dtype == bool
    assert (masks.sum(1) == round(ratio * 8 * 49)).all()


def test_patch_masks_are_scattered_and_block_masks_are_boxes():
    grid = (8, 14, 14)
    rng = np.random.default_rng(1)
    patch = patch_grid_mask(grid, 0.45, 8, rng)
    block = random_block_mask(grid, 0.45, 8, rng)
    # independent patches: a masked patch has a masked neighbour about as
    # often as 1 - 0.55**4 = 0.91 of the time at most; boxes nearly always
    assert _neighbour_fraction(block, grid) > 0.97
    assert _neighbour_fraction(patch, grid) < 0.93
    # not a tube mask: frames of a patch mask differ
    frames = patch[0].reshape(8, -1)
    assert not (frames == frames[0]).all()


def test_first_block_is_one_box():
    # a target smaller than any box's first new tokens still comes out as
    # the first tokens of one box in raster order (one frame, one row)
    masks = random_block_mask((1, 1, 10), 0.3, 20, np.random.default_rng(2))
    for row in masks:
        idx = np.flatnonzero(row)
        assert len(idx) == 3
        # within one box: contiguous unless the box is shorter than 3
        assert idx[-1] - idx[0] <= 9


def test_frame_masks_are_whole_frames_at_the_ratio():
    grid = (20, 4, 4)
    masks = frame_mask(grid, 0.45, 6, np.random.default_rng(3))
    per_frame = masks.reshape(6, 20, 16)
    assert (per_frame.all(-1) | ~per_frame.any(-1)).all()  # all or nothing
    assert (per_frame.all(-1).sum(1) == 9).all()  # 0.45 * 20
    assert np.isclose(masks.mean(), 0.45)
    # 8 frames: the ratio rounds to whole frames (4 of 8)
    assert frame_mask((8, 2, 2), 0.45, 1).reshape(8, 4).all(-1).sum() == 4


def test_generator_writes_one_mask_per_clip_of_the_drawn_modes():
    np.random.seed(0)
    gen = SpatioTemporalMaskGenerator((8, 4, 4), mask_ratio=0.45)
    out = gen(dict(num_clips=2))
    assert out['mask'].shape == (2, 128)
    assert set(out['mask_mode']) <= {'patch', 'block', 'frame'}
    only_frames = SpatioTemporalMaskGenerator((8, 4, 4), modes=('frame', ))
    mask = only_frames(dict(num_clips=1))['mask'].reshape(8, 16)
    assert (mask.all(-1) | ~mask.any(-1)).all()
    with pytest.raises(ValueError, match='modes'):
        SpatioTemporalMaskGenerator((8, 4, 4), modes=('tube', ))
    with pytest.raises(ValueError, match='mask_ratio'):
        SpatioTemporalMaskGenerator((8, 4, 4), mask_ratio=1.5)
