"""FlowEstimator shapes and backward warping against exact shifts."""
import pytest
import torch

from mmssl.models.generators import FlowEstimator, backward_warp, warp_clip


def test_zero_flow_warps_to_identity():
    frames = torch.randn(2, 3, 5, 7)
    assert torch.allclose(
        backward_warp(frames, torch.zeros(2, 2, 5, 7)), frames, atol=1e-6)


def test_integer_flow_reads_the_shifted_pixel():
    frames = torch.arange(20.).view(1, 1, 4, 5)
    flow = torch.zeros(1, 2, 4, 5)
    flow[:, 0] = 1.  # read one pixel to the right
    flow[:, 1] = -1.  # and one row up
    out = backward_warp(frames, flow)
    # out[y, x] = frames[y - 1, x + 1] inside; border-clamped outside
    assert torch.equal(out[0, 0, 1:, :4], frames[0, 0, :3, 1:])
    assert torch.equal(out[0, 0, 0, :4], frames[0, 0, 0, 1:])
    assert torch.equal(out[0, 0, 1:, 4], frames[0, 0, :3, 4])


def test_warp_clip_recovers_a_translating_clip():
    frames = torch.randn(1, 2, 1, 6, 9)
    # frame t+1 is frame t moved right by one pixel
    clip = torch.cat([frames, torch.roll(frames, 1, dims=-1)], dim=2)
    flow = torch.zeros(1, 2, 1, 6, 9)
    flow[:, 0] = 1.
    warped = warp_clip(clip, flow)
    assert warped.shape == (1, 2, 1, 6, 9)
    assert torch.allclose(warped[..., :-1], clip[:, :, :1, :, :-1])


def test_flow_estimator_shape_and_zero_initial_flow():
    net = FlowEstimator(base_channels=4)
    net.init_weights()
    flow = net(torch.randn(2, 3, 4, 9, 11))
    assert flow.shape == (2, 2, 3, 9, 11)
    assert torch.count_nonzero(flow) == 0


def test_bad_shapes_raise_clear_errors():
    with pytest.raises(ValueError, match='T>=2'):
        FlowEstimator(base_channels=4)(torch.zeros(1, 3, 1, 8, 8))
    with pytest.raises(ValueError, match='flow must be'):
        backward_warp(torch.zeros(1, 3, 4, 4), torch.zeros(1, 2, 4, 5))
