"""RSPNet's released S3D-G and ResNet-18, re-implemented with the attribute
(state-dict key) names of its code, to test the ``rspnet-s3dg`` and
``rspnet-r3d18`` converters.

Written for the tests from reading PeihaoChen/RSPNet ``models/s3dg.py``
(not copied): ``feature`` is an ``nn.Sequential`` of named stages,
``BasicConv3d`` keeps ``conv3d`` + ``bn`` (eps 1e-3) + ReLU, ``sep_conv``
keeps ``sep_conv.{0,1}`` (a (1, k, k) conv whose stride applies to T, H and
W, then a (k, 1, 1) conv) and, gated, an ``excitation`` 1x1x1 conv with
bias on the globally pooled output. Forward returns the globally average-
pooled last feature map ``(N, 1024)``.

The ResNet-18 (``arch: resnet18``) is written from reading RSPNet
``models/resnet.py`` (Hara et al.'s 3D-ResNets; not copied): ``conv1``
7x7x7, stride (1, 2, 2), padding 3, ``bn1`` (default eps 1e-5), ReLU, a
3x3x3 max-pool of stride 2 and padding 1; ``layer1..4`` of two
``BasicBlock`` (``conv1``/``bn1``/``conv2``/``bn2``, 3x3x3, no bias),
stride 2 in T, H, W in the first block of layers 2-4, shortcut type B
(``downsample.0`` 1x1x1 conv + ``downsample.1`` BN); ``fc`` classifier.
``MultiTaskWrapper`` reads ``get_feature`` (``layer4``'s output).
"""
from collections import OrderedDict

import torch
import torch.nn.functional as F
from torch import nn


class _Basic(nn.Module):
    """RSPNet ``BasicConv3d``: conv (no bias) -> BN(eps 1e-3) -> ReLU."""

    def __init__(self, cin, cout, kernel=1, stride=1, padding=0):
        super().__init__()
        self.conv3d = nn.Conv3d(cin, cout, kernel, stride, padding,
                                bias=False)
        self.bn = nn.BatchNorm3d(cout, eps=1e-3, momentum=0.001)

    def forward(self, x):
        return F.relu(self.bn(self.conv3d(x)))


class _Sep(nn.Module):
    """RSPNet ``sep_conv`` with gating."""

    def __init__(self, cin, cout, k, stride=1, padding=0):
        super().__init__()
        self.sep_conv = nn.Sequential(
            _Basic(cin, cout, (1, k, k), stride, (0, padding, padding)),
            _Basic(cout, cout, (k, 1, 1), 1, (padding, 0, 0)))
        self.excitation = nn.Conv3d(cout, cout, 1)

    def forward(self, x):
        x = self.sep_conv(x)
        weight = torch.sigmoid(self.excitation(x.mean((2, 3, 4),
                                                      keepdim=True)))
        return weight * x


class _Inception(nn.Module):
    """RSPNet ``sep_inc``: gating only inside the two separable convs."""

    def __init__(self, cin, widths):
        super().__init__()
        b0, b1a, b1b, b2a, b2b, b3 = widths
        self.branch0 = _Basic(cin, b0)
        self.branch1 = nn.Sequential(_Basic(cin, b1a), _Sep(b1a, b1b, 3, 1, 1))
        self.branch2 = nn.Sequential(_Basic(cin, b2a), _Sep(b2a, b2b, 3, 1, 1))
        self.branch3 = nn.Sequential(nn.MaxPool3d(3, 1, 1), _Basic(cin, b3))

    def forward(self, x):
        return torch.cat([self.branch0(x), self.branch1(x), self.branch2(x),
                          self.branch3(x)], 1)


def _pool(kernel, stride, padding):
    return nn.MaxPool3d(kernel, stride, padding)


class RSPNetS3DG(nn.Module):
    """RSPNet ``S3D_G`` (``arch: s3dg``) with its ``fc`` classifier."""

    def __init__(self, num_classes=1):
        super().__init__()
        incs = [('sepInc_3b', 192, (64, 96, 128, 16, 32, 32)),
                ('sepInc_3c', 256, (128, 128, 192, 32, 96, 64)),
                ('maxPool3', None, None),
                ('sepInc_4b', 480, (192, 96, 208, 16, 48, 64)),
                ('sepInc_4c', 512, (160, 112, 224, 24, 64, 64)),
                ('sepInc_4d', 512, (128, 128, 256, 24, 64, 64)),
                ('sepInc_4e', 512, (112, 144, 288, 32, 64, 64)),
                ('sepInc_4f', 528, (256, 160, 320, 32, 128, 128)),
                ('maxpool4', None, None),
                ('sepInc_5b', 832, (256, 160, 320, 32, 128, 128)),
                ('sepInc_5c', 832, (384, 192, 384, 48, 128, 128))]
        layers = [('sepConv1', _Sep(3, 64, 7, 2, 3)),
                  ('maxPool1', _pool((1, 3, 3), (1, 2, 2), (0, 1, 1))),
                  ('basicConv3d', _Basic(64, 64)),
                  ('sep_conv2', _Sep(64, 192, 3, 1, 1)),
                  ('maxPool2', _pool((1, 3, 3), (1, 2, 2), (0, 1, 1)))]
        for name, cin, widths in incs:
            if name == 'maxPool3':
                layers.append((name, _pool(3, 2, 1)))
            elif name == 'maxpool4':
                layers.append((name, _pool(2, 2, 0)))
            else:
                layers.append((name, _Inception(cin, widths)))
        self.feature = nn.Sequential(OrderedDict(layers))
        self.fc = nn.Linear(1024, num_classes)  # dropped by the converter

    def forward(self, x):
        return self.feature(x).mean((2, 3, 4))


class _HaraBlock(nn.Module):
    """Hara et al.'s ``BasicBlock`` with a type-B shortcut."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv3d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm3d(cout)
        self.conv2 = nn.Conv3d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm3d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(
                nn.Conv3d(cin, cout, 1, stride, bias=False),
                nn.BatchNorm3d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        res = x if self.downsample is None else self.downsample(x)
        return F.relu(out + res)


class RSPNetResNet18(nn.Module):
    """RSPNet ``resnet18`` (``arch: resnet18``) with its ``fc``."""

    def __init__(self, num_classes=1):
        super().__init__()
        self.conv1 = nn.Conv3d(3, 64, 7, (1, 2, 2), 3, bias=False)
        self.bn1 = nn.BatchNorm3d(64)
        self.maxpool = nn.MaxPool3d(3, 2, 1)
        widths = [(64, 64, 1), (64, 128, 2), (128, 256, 2), (256, 512, 2)]
        for i, (cin, cout, stride) in enumerate(widths):
            setattr(self, f'layer{i + 1}', nn.Sequential(
                _HaraBlock(cin, cout, stride), _HaraBlock(cout, cout, 1)))
        self.fc = nn.Linear(512, num_classes)  # dropped by the converter

    def forward(self, x):
        x = self.maxpool(F.relu(self.bn1(self.conv1(x))))
        for i in range(1, 5):
            x = getattr(self, f'layer{i}')(x)
        return x.mean((2, 3, 4))
