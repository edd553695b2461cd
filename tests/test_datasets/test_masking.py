"""VideoMAE tube masks: exact counts, tubes over time, determinism, packing."""
import numpy as np
import pytest
import torch

import mmssl  # noqa: F401
from mmssl.datasets.transforms import PackSSLInputs
from mmssl.datasets.transforms.masking import (TubeMaskGenerator,
                                               num_masked_per_frame, tube_mask)
from mmssl.registry import TRANSFORMS


@pytest.mark.parametrize('grid,ratio,expected', [
    ((8, 14, 14), 0.9, 176),  # ViT-B 16x224x224: 176 of 196 per slice
    ((4, 4, 4), 0.9, 14),  # tiny config: round(14.4)
    ((2, 2, 5), 0.7, 7),  # int(0.7 * 10) would give 6
    ((3, 4, 4), 0.75, 12),
    ((1, 3, 3), 0.0, 0),
    ((2, 3, 3), 1.0, 9),
])
def test_exact_count_per_frame_and_identical_across_time(
        grid, ratio, expected):
    frames, height, width = grid
    masks = tube_mask(grid, ratio, batch_size=5)
    assert masks.dtype == bool and masks.shape == (5, frames * height * width)
    per_slice = masks.reshape(5, frames, height * width)
    assert (per_slice.sum(-1) == expected).all()
    # the same spatial mask in every temporal slice (a tube)
    assert (per_slice == per_slice[:, :1]).all()
    assert num_masked_per_frame(height * width, ratio) == expected


def test_token_order_is_t_h_w():
    """Token n sits at (t, h, w) with n = (t * H' + h) * W' + w."""
    mask = tube_mask((3, 2, 4), 0.5, batch_size=1)[0]
    grid = mask.reshape(3, 2, 4)
    assert (grid == grid[0]).all() and grid[0].sum() == 4


def test_determinism_under_numpy_seed_and_generator():
    np.random.seed(3)
    first = tube_mask((4, 4, 4), 0.9, batch_size=3)
    np.random.seed(3)
    second = tube_mask((4, 4, 4), 0.9, batch_size=3)
    assert np.array_equal(first, second)
    # rows of a batch are independent draws
    assert len({row.tobytes() for row in first}) > 1
    a = tube_mask((2, 6, 6), 0.5, 4, rng=np.random.default_rng(7))
    b = tube_mask((2, 6, 6), 0.5, 4, rng=np.random.default_rng(7))
    c = tube_mask((2, 6, 6), 0.5, 4, rng=np.random.default_rng(8))
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_positions_are_masked_uniformly_over_many_draws():
    draws = 20000
    masks = tube_mask((2, 3, 3), 0.6, batch_size=draws,
                      rng=np.random.default_rng(0))
    freq = masks[:, :9].mean(0)
    expected = 5 / 9  # round(0.6 * 9) = 5 masked of 9 positions
    # binomial std per position ~ 0.0035: 5 sigma
    assert np.abs(freq - expected).max() < 0.018
    # every one of the C(9, 5) = 126 spatial masks occurs
    assert len({row.tobytes() for row in masks[:, :9]}) == 126


def test_transform_writes_one_mask_per_clip_and_packs():
    gen = TRANSFORMS.build(
        dict(type='TubeMaskGenerator', input_size=(4, 4, 4), mask_ratio=0.9))
    assert gen.num_tokens == 64 and gen.num_masked_per_frame == 14
    np.random.seed(0)
    results = gen(dict(num_clips=2, imgs=np.zeros((2, 3, 8, 32, 32))))
    assert results['mask'].shape == (2, 64)
    assert (results['mask'].sum(1) == 4 * 14).all()
    single = gen(dict(imgs=np.zeros((1, 3, 8, 32, 32))))['mask']
    assert single.shape == (1, 64)
    packed = PackSSLInputs(target_keys=('mask', ))(results)
    mask = packed['data_samples'].mask
    assert mask.dtype == torch.bool and mask.shape == (2, 64)
    assert torch.equal(mask, torch.from_numpy(results['mask']))
    assert 'input_size=(4, 4, 4)' in repr(gen)


def test_pipeline_on_a_real_video(index_videos):
    from mmengine.dataset import Compose
    from mmengine.registry import init_default_scope
    init_default_scope('mmssl')
    pipeline = Compose([
        TRANSFORMS.build(t) for t in [
            dict(type='SafeDecordInit'),
            dict(type='SampleFrames', clip_len=8, frame_interval=1,
                 num_clips=1),
            dict(type='DecordDecodeUnion'),
            dict(type='Resize', scale=(32, 32), keep_ratio=False),
            dict(type='FormatShape', input_format='NCTHW'),
            dict(type='TubeMaskGenerator', input_size=(4, 4, 4)),
            dict(type='PackSSLInputs', target_keys=('mask', )),
        ]
    ])
    out = pipeline(dict(filename=index_videos['long'], label=0,
                        start_index=0, modality='RGB'))
    assert out['inputs'].shape == (1, 3, 8, 32, 32)
    assert out['data_samples'].mask.shape == (1, 64)


@pytest.mark.parametrize('kwargs,match', [
    (dict(input_size=(4, 4)), 'input_size'),
    (dict(input_size=(4, 0, 4)), 'input_size'),
    (dict(input_size=(4, 4, 4), mask_ratio=1.5), 'mask_ratio'),
])
def test_invalid_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        TubeMaskGenerator(**kwargs)
    with pytest.raises(ValueError, match='batch_size'):
        tube_mask((1, 2, 2), 0.5, batch_size=0)
