"""ResidualFramesPreprocessor: hand-computed frame differences after
MMAction2's normalisation, shapes, errors, and use inside an algorithm."""
import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.registry import init_default_scope

import mmssl.models  # noqa: F401
from mmssl.registry import MODELS


def build(**kwargs):
    init_default_scope('mmssl')
    cfg = dict(type='ResidualFramesPreprocessor', format_shape='NCTHW')
    cfg.update(kwargs)
    return MODELS.build(cfg)


def test_differences_of_normalised_frames_by_hand():
    pre = build(mean=[10., 20., 30.], std=[2., 4., 5.])
    # one clip, C=3, T=3, H=W=1; frame values chosen so the differences
    # are not constant in time
    clip = torch.tensor([[1., 4., 9.], [20., 20., 28.], [30., 35., 30.]])
    clip = clip.view(3, 3, 1, 1)
    out = pre(dict(inputs=[clip], data_samples=None))['inputs']
    assert out.shape == (1, 3, 2, 1, 1)
    # channel 0: (x - 10) / 2 -> -4.5, -3, -0.5 -> diffs 1.5, 2.5
    # channel 1: (x - 20) / 4 -> 0, 0, 2       -> diffs 0, 2
    # channel 2: (x - 30) / 5 -> 0, 1, 0       -> diffs 1, -1
    expected = torch.tensor([[1.5, 2.5], [0., 2.], [1., -1.]])
    torch.testing.assert_close(out.view(3, 2), expected)


def test_multi_clip_inputs_and_rgb_flip():
    pre = build(mean=[0., 0., 0.], std=[1., 1., 1.], to_rgb=True)
    gen = torch.Generator().manual_seed(0)
    clips = torch.rand(2, 4, 3, 5, 2, 2, generator=gen)  # (B, N, C, T, H, W)
    out = pre(dict(inputs=list(clips), data_samples=None))['inputs']
    assert out.shape == (2, 4, 3, 4, 2, 2)
    flipped = clips[:, :, [2, 1, 0]]
    expected = flipped[:, :, :, 1:] - flipped[:, :, :, :-1]
    torch.testing.assert_close(out, expected)


def test_static_video_gives_zero_input():
    pre = build(mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375])
    still = torch.full((3, 6, 4, 4), 77.)
    out = pre(dict(inputs=[still], data_samples=None))['inputs']
    assert out.abs().max() == 0


def test_rejects_2d_format_and_single_frame_clips():
    with pytest.raises(ValueError, match='NCTHW'):
        build(format_shape='NCHW')
    pre = build(mean=[0., 0., 0.], std=[1., 1., 1.])
    with pytest.raises(ValueError, match='at least 2 frames'):
        pre(dict(inputs=[torch.rand(3, 1, 4, 4)], data_samples=None))


def test_vcop_with_residual_frames_trains_and_predicts():
    init_default_scope('mmssl')
    torch.manual_seed(0)
    model = MODELS.build(
        dict(
            type='VCOP',
            backbone=dict(
                type='ResNet3d',
                depth=18,
                stage_blocks=(1, 1, 1, 1),
                base_channels=8,
                pretrained=None,
                pretrained2d=False,
                conv1_stride_t=1,
                pool1_stride_t=1,
                inflate=(1, 1, 1, 1)),
            head=dict(type='VCOPHead', num_clips=3, hidden_channels=16),
            data_preprocessor=dict(
                type='ResidualFramesPreprocessor',
                mean=[0., 0., 0.],
                std=[1., 1., 1.],
                format_shape='NCTHW')))
    seen = []
    model.backbone.register_forward_pre_hook(
        lambda module, args: seen.append(tuple(args[0].shape)))
    samples = []
    for label in (0, 5):
        sample = ActionDataSample()
        sample.set_field(torch.tensor(label), 'order_label')
        samples.append(sample)
    data = dict(inputs=list(torch.rand(2, 3, 3, 4, 16, 16)),
                data_samples=samples)
    processed = model.data_preprocessor(data, training=True)
    losses = model(**processed, mode='loss')
    assert torch.isfinite(losses['loss_order'])
    losses['loss_order'].backward()
    # 2 videos x 3 clips, 4 frames -> 3 residual frames
    assert seen == [(6, 3, 3, 16, 16)]
