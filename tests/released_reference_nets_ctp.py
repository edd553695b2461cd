"""CtP's released R3D-18 (the pyvrl code base), re-implemented with the
attribute (state-dict key) names of its code, to test the ``ctp-r3d18``
converter.

Written for the tests from reading microsoft/CtP ``pyvrl/models/backbones/
r3d.py`` and ``configs/ctp/r3d_18_kinetics/pretraining.py`` (not copied):
``stem`` = ``conv`` (3x7x7, stride (1, 2, 2)) + ``bn`` + ReLU without pool;
basic blocks keep ``conv{1,2}.conv`` beside ``bn{1,2}`` and the shortcut
as ``downsample.conv`` + ``downsample_bn``; BN eps 1e-3; stages 2-3 halve
T, H, W and stage 4 halves T only in pre-training (and T, H, W in CtP's
fine-tuning recognizer, ``configs/recognizers/_base_/model_r3d18.py``:
``finetune=True``). Forward returns the globally average-
pooled last feature map ``(N, 512)``.
"""
import torch.nn.functional as F
from torch import nn


def _conv(cin, cout, kernel, stride, padding):
    """pyvrl ``build_3d_conv('3d', ..., with_bn=True)``: a bias-free conv
    inside an ``nn.Sequential`` under the name ``conv``."""
    seq = nn.Sequential()
    seq.add_module('conv', nn.Conv3d(cin, cout, kernel, stride, padding,
                                     bias=False))
    return seq


class _Block(nn.Module):

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = _conv(cin, cout, 3, stride, 1)
        self.bn1 = nn.BatchNorm3d(cout, eps=1e-3)
        self.conv2 = _conv(cout, cout, 3, 1, 1)
        self.bn2 = nn.BatchNorm3d(cout, eps=1e-3)
        self.downsample = None
        if stride != (1, 1, 1) or cin != cout:
            self.downsample = _conv(cin, cout, 1, stride, 0)
            self.downsample_bn = nn.BatchNorm3d(cout, eps=1e-3)

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        if self.downsample is not None:
            x = self.downsample_bn(self.downsample(x))
        return F.relu(out + x)


class CtPR3D18(nn.Module):
    """pyvrl ``R3D(depth=18)`` with CtP's pre-training settings
    (``finetune=True``: its fine-tuning settings)."""

    def __init__(self, finetune=False):
        super().__init__()
        self.stem = nn.Sequential()
        self.stem.add_module('conv', nn.Conv3d(3, 64, (3, 7, 7), (1, 2, 2),
                                               (1, 3, 3), bias=False))
        self.stem.add_module('bn', nn.BatchNorm3d(64, eps=1e-3))
        self.stem.add_module('relu', nn.ReLU())
        stages = [(64, 64, (1, 1, 1)), (64, 128, (2, 2, 2)),
                  (128, 256, (2, 2, 2)), (256, 512, (2, 2, 2) if finetune else (2, 1, 1))]
        for i, (cin, cout, stride) in enumerate(stages):
            setattr(self, f'layer{i + 1}', nn.Sequential(
                _Block(cin, cout, stride), _Block(cout, cout, (1, 1, 1))))

    def forward(self, x):
        x = self.stem(x)
        for i in range(1, 5):
            x = getattr(self, f'layer{i}')(x)
        return x.mean((2, 3, 4))
