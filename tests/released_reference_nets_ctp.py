"""CtP's released R3D-18 and R(2+1)D-18 (the pyvrl code base),
re-implemented with the attribute (state-dict key) names of its code, to
test the ``ctp-r3d18`` and ``ctp-r2plus1d18`` converters.

Written for the tests from reading microsoft/CtP ``pyvrl/models/backbones/
r3d.py`` and ``configs/ctp/r3d_18_kinetics/pretraining.py`` (not copied):
``stem`` = ``conv`` (3x7x7, stride (1, 2, 2)) + ``bn`` + ReLU without pool;
basic blocks keep ``conv{1,2}.conv`` beside ``bn{1,2}`` and the shortcut
as ``downsample.conv`` + ``downsample_bn``; BN eps 1e-3; stages 2-3 halve
T, H, W and stage 4 halves T only in pre-training (and T, H, W in CtP's
fine-tuning recognizer, ``configs/recognizers/_base_/model_r3d18.py``:
``finetune=True``). ``R2Plus1D`` (``r2plus1d=True``) builds every block
conv with ``build_3d_conv('2.5d')``: ``conv_s`` (1, k, k) + ``bn_s`` +
ReLU + ``conv_t`` (k, 1, 1), middle width ``int(3 Cin Cout k^2 / (Cin k^2
+ 3 Cout))``; its stem is ``conv_s`` (1, 7, 7) to a fixed 45 channels +
``bn_s`` + ReLU + ``conv_t`` (3, 1, 1) + ``bn_t`` + ReLU; its shortcut
stays a plain 3D ``downsample.conv``. Forward returns the globally average-
pooled last feature map ``(N, 512)``.
"""
import torch.nn.functional as F
from torch import nn


def _conv(cin, cout, kernel, stride, padding, r2plus1d=False):
    """pyvrl ``build_3d_conv('3d' | '2.5d', ..., with_bn=True)``: bias-free
    convs inside an ``nn.Sequential`` (``conv``, or ``conv_s``, ``bn_s``,
    ``relu_s``, ``conv_t``)."""
    k = (kernel, ) * 3 if isinstance(kernel, int) else kernel
    s = (stride, ) * 3 if isinstance(stride, int) else stride
    p = (padding, ) * 3 if isinstance(padding, int) else padding
    seq = nn.Sequential()
    if not r2plus1d:
        seq.add_module('conv', nn.Conv3d(cin, cout, k, s, p, bias=False))
        return seq
    mid = int(3 * cin * cout * k[1] * k[2] / (cin * k[1] * k[2] + 3 * cout))
    seq.add_module('conv_s', nn.Conv3d(cin, mid, (1, k[1], k[2]),
                                       (1, s[1], s[2]), (0, p[1], p[2]),
                                       bias=False))
    seq.add_module('bn_s', nn.BatchNorm3d(mid, eps=1e-3))
    seq.add_module('relu_s', nn.ReLU())
    seq.add_module('conv_t', nn.Conv3d(mid, cout, (k[0], 1, 1),
                                       (s[0], 1, 1), (p[0], 0, 0),
                                       bias=False))
    return seq


class _Block(nn.Module):

    def __init__(self, cin, cout, stride, r2plus1d=False):
        super().__init__()
        self.conv1 = _conv(cin, cout, 3, stride, 1, r2plus1d)
        self.bn1 = nn.BatchNorm3d(cout, eps=1e-3)
        self.conv2 = _conv(cout, cout, 3, 1, 1, r2plus1d)
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
    """pyvrl ``R3D(depth=18)`` (``r2plus1d=True``: ``R2Plus1D``) with CtP's
    pre-training settings (``finetune=True``: its fine-tuning settings)."""

    def __init__(self, finetune=False, r2plus1d=False):
        super().__init__()
        self.stem = nn.Sequential()
        if r2plus1d:
            self.stem.add_module('conv_s', nn.Conv3d(
                3, 45, (1, 7, 7), (1, 2, 2), (0, 3, 3), bias=False))
            self.stem.add_module('bn_s', nn.BatchNorm3d(45, eps=1e-3))
            self.stem.add_module('relu_s', nn.ReLU())
            self.stem.add_module('conv_t', nn.Conv3d(
                45, 64, (3, 1, 1), 1, (1, 0, 0), bias=False))
            self.stem.add_module('bn_t', nn.BatchNorm3d(64, eps=1e-3))
            self.stem.add_module('relu_t', nn.ReLU())
        else:
            self.stem.add_module('conv', nn.Conv3d(
                3, 64, (3, 7, 7), (1, 2, 2), (1, 3, 3), bias=False))
            self.stem.add_module('bn', nn.BatchNorm3d(64, eps=1e-3))
            self.stem.add_module('relu', nn.ReLU())
        stages = [(64, 64, (1, 1, 1)), (64, 128, (2, 2, 2)),
                  (128, 256, (2, 2, 2)),
                  (256, 512, (2, 2, 2) if finetune else (2, 1, 1))]
        for i, (cin, cout, stride) in enumerate(stages):
            setattr(self, f'layer{i + 1}', nn.Sequential(
                _Block(cin, cout, stride, r2plus1d),
                _Block(cout, cout, (1, 1, 1), r2plus1d)))

    def forward(self, x):
        x = self.stem(x)
        for i in range(1, 5):
            x = getattr(self, f'layer{i}')(x)
        return x.mean((2, 3, 4))
