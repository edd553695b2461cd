"""Grad-CAM of a 3D layer (mmssl.visualization.grad_cam) against a hand
computation, its shape and normalisation."""
import numpy as np
import torch
from torch import nn

from mmssl.visualization.grad_cam import grad_cam, overlay_heatmap
from mmssl.visualization.selection import one_per_class


def test_grad_cam_of_a_linear_score_equals_the_hand_computation():
    torch.manual_seed(0)
    conv = nn.Conv3d(3, 2, 1)
    weights = torch.tensor([1.0, -0.5])

    def forward(x):  # y = sum_c w_c mean_thw A_c
        return (conv(x).mean(dim=(2, 3, 4)) * weights).sum(dim=1)

    x = torch.randn(2, 3, 4, 6, 6)
    cams, scores, peaks = grad_cam(forward, conv, x)
    assert cams.shape == (2, 4, 6, 6)
    with torch.no_grad():
        acts = conv(x)
    # dy/dA_c = w_c / (T H W) everywhere: the channel weights
    expected = torch.relu((weights.view(1, 2, 1, 1, 1) / (4 * 36) *
                           acts).sum(dim=1))
    assert torch.allclose(peaks, expected.flatten(1).max(dim=1).values,
                          atol=1e-7)
    low = expected.flatten(1).min(dim=1).values.view(-1, 1, 1, 1)
    high = expected.flatten(1).max(dim=1).values.view(-1, 1, 1, 1)
    assert torch.allclose(cams, (expected - low) / (high - low), atol=1e-5)
    assert torch.allclose(scores, forward(x).detach())
    for cam in cams:
        assert cam.min() == 0 and abs(float(cam.max()) - 1) < 1e-6


def test_upsampling_and_all_negative_evidence():
    pool = nn.Sequential(nn.Conv3d(1, 1, 1, bias=False),
                         nn.AvgPool3d(2))
    nn.init.constant_(pool[0].weight, 1.0)
    x = torch.rand(1, 1, 4, 8, 8) + 0.1
    cams, _, peaks = grad_cam(lambda v: -pool(v).mean(dim=(1, 2, 3, 4)),
                              pool[1], x)
    assert cams.shape == (1, 4, 8, 8)  # (2, 4, 4) map upsampled to the clip
    assert float(peaks[0]) == 0 and not cams.any()  # ReLU left nothing


def test_overlay_and_selection():
    frame = np.full((4, 4, 3), 255, dtype=np.uint8)
    blended = overlay_heatmap(frame, np.zeros((4, 4)), alpha=0.5)
    assert blended.shape == (4, 4, 3) and blended.max() <= 1
    picked = one_per_class(np.array([0, 0, 1, 2, 2, 2]), 4, seed=0)
    assert len(set(picked)) == 4
    assert sorted(np.array([0, 0, 1, 2, 2, 2])[picked[:3]]) == [0, 1, 2]
