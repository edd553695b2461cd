"""Small re-implementations of the authors' released backbones, with the
attribute (state-dict key) names of their code, to test the checkpoint
converters: a converted state dict must reproduce the released model's
output.

Written for the tests from reading the original model definitions (not
copied): VCOP's ``models/{c3d,r3d,r21d}.py`` (xudejing/video-clip-order-
prediction, also used by PRP and RSPNet), torchvision's ``VideoResNet`` as
modified by TCLR (DAVEISHAN/TCLR ``tclr_pretraining/model.py``) and the
VideoMAE ViT (MCG-NJU/VideoMAE ``modeling_finetune.py``). Each forward
returns the globally average-pooled last feature map ``(N, C)``.
"""
import math

import torch
import torch.nn.functional as F
from torch import nn


def randomise_bn(model: nn.Module, seed: int = 0) -> nn.Module:
    """Give every BN/LN non-trivial affine parameters and running stats,
    so that a mapping mistake in them changes the output."""
    gen = torch.Generator().manual_seed(seed)
    for module in model.modules():
        if isinstance(module, (nn.BatchNorm3d, nn.LayerNorm)):
            module.weight.data = 1 + 0.2 * torch.randn(
                module.weight.shape, generator=gen)
            module.bias.data = 0.2 * torch.randn(module.bias.shape,
                                                 generator=gen)
        if isinstance(module, nn.BatchNorm3d):
            module.running_mean = 0.1 * torch.randn(
                module.running_mean.shape, generator=gen)
            module.running_var = 0.5 + torch.rand(
                module.running_var.shape, generator=gen)
    return model.eval()


class VCOPC3D(nn.Module):
    """VCOP C3D: 8 conv+BN+ReLU layers, pools after 1, 2, 3b, 4b."""

    def __init__(self):
        super().__init__()
        channels = [('1', 3, 64), ('2', 64, 128), ('3a', 128, 256),
                     ('3b', 256, 256), ('4a', 256, 512), ('4b', 512, 512),
                     ('5a', 512, 512), ('5b', 512, 512)]
        self.names = [n for n, _, _ in channels]
        for name, cin, cout in channels:
            setattr(self, f'conv{name}', nn.Conv3d(cin, cout, 3, padding=1))
            setattr(self, f'bn{name}', nn.BatchNorm3d(cout))
        self.linear = nn.Linear(512, 7)  # a classifier the converter drops

    def forward(self, x):
        for name in self.names:
            x = F.relu(getattr(self, f'bn{name}')(getattr(self,
                                                          f'conv{name}')(x)))
            if name == '1':
                x = F.max_pool3d(x, (1, 2, 2), (1, 2, 2))
            elif name in ('2', '3b', '4b'):
                x = F.max_pool3d(x, 2, 2)
        return x.mean((2, 3, 4))


class _R3DConv(nn.Module):
    """VCOP r3d.py SpatioTemporalConv: one full 3D conv."""

    def __init__(self, cin, cout, kernel, stride=1, padding=0):
        super().__init__()
        self.temporal_spatial_conv = nn.Conv3d(
            cin, cout, kernel, stride=stride, padding=padding, bias=False)

    def forward(self, x):
        return self.temporal_spatial_conv(x)


class _R21DConv(nn.Module):
    """VCOP r21d.py SpatioTemporalConv: spatial conv, BN, ReLU, temporal
    conv, with the R(2+1)D paper's intermediate width."""

    def __init__(self, cin, cout, kernel, stride=1, padding=0):
        super().__init__()
        kt, kh, kw = (kernel, ) * 3 if isinstance(kernel, int) else kernel
        st, sh, sw = (stride, ) * 3 if isinstance(stride, int) else stride
        pt, ph, pw = (padding, ) * 3 if isinstance(padding, int) else padding
        mid = math.floor(kt * kh * kw * cin * cout /
                         (kh * kw * cin + kt * cout))
        self.spatial_conv = nn.Conv3d(cin, mid, (1, kh, kw), (1, sh, sw),
                                      (0, ph, pw), bias=False)
        self.bn = nn.BatchNorm3d(mid)
        self.temporal_conv = nn.Conv3d(mid, cout, (kt, 1, 1), (st, 1, 1),
                                       (pt, 0, 0), bias=False)

    def forward(self, x):
        return self.temporal_conv(F.relu(self.bn(self.spatial_conv(x))))


class _VCOPBlock(nn.Module):
    """VCOP SpatioTemporalResBlock (conv-BN-ReLU-conv-BN + shortcut)."""

    def __init__(self, conv, cin, cout, downsample):
        super().__init__()
        self.downsample = downsample
        stride = 2 if downsample else 1
        if downsample:
            self.downsampleconv = conv(cin, cout, 1, stride=2)
            self.downsamplebn = nn.BatchNorm3d(cout)
        self.conv1 = conv(cin, cout, 3, stride=stride, padding=1)
        self.bn1 = nn.BatchNorm3d(cout)
        self.conv2 = conv(cout, cout, 3, padding=1)
        self.bn2 = nn.BatchNorm3d(cout)

    def forward(self, x):
        res = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        if self.downsample:
            x = self.downsamplebn(self.downsampleconv(x))
        return F.relu(x + res)


class _VCOPLayer(nn.Module):
    """VCOP SpatioTemporalResLayer: ``block1`` then ``blocks``."""

    def __init__(self, conv, cin, cout, size, downsample):
        super().__init__()
        self.block1 = _VCOPBlock(conv, cin, cout, downsample)
        self.blocks = nn.ModuleList(
            [_VCOPBlock(conv, cout, cout, False) for _ in range(size - 1)])

    def forward(self, x):
        x = self.block1(x)
        for block in self.blocks:
            x = block(x)
        return x


class VCOPResNet(nn.Module):
    """VCOP R3DNet (``r21d=False``) or R2Plus1DNet (``r21d=True``)."""

    def __init__(self, layer_sizes=(1, 1, 1, 1), r21d=False):
        super().__init__()
        conv = _R21DConv if r21d else _R3DConv
        self.conv1 = conv(3, 64, (3, 7, 7), stride=(1, 2, 2),
                          padding=(1, 3, 3))
        self.bn1 = nn.BatchNorm3d(64)
        widths = [(64, 64), (64, 128), (128, 256), (256, 512)]
        for i, ((cin, cout), size) in enumerate(zip(widths, layer_sizes)):
            setattr(self, f'conv{i + 2}',
                    _VCOPLayer(conv, cin, cout, size, downsample=i > 0))

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        for i in range(2, 6):
            x = getattr(self, f'conv{i}')(x)
        return x.mean((2, 3, 4))


class _TVBlock(nn.Module):
    """torchvision video BasicBlock with ``Conv3DSimple``."""

    def __init__(self, cin, cout, stride, dilate_t=1):
        super().__init__()
        stride_t = 1 if dilate_t > 1 else stride
        self.conv1 = nn.Sequential(
            nn.Conv3d(cin, cout, 3, (stride_t, stride, stride),
                      (dilate_t, 1, 1), (dilate_t, 1, 1), bias=False),
            nn.BatchNorm3d(cout), nn.ReLU())
        self.conv2 = nn.Sequential(
            nn.Conv3d(cout, cout, 3, 1, 1, bias=False), nn.BatchNorm3d(cout))
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(
                nn.Conv3d(cin, cout, 1, (stride_t, stride, stride),
                          bias=False), nn.BatchNorm3d(cout))

    def forward(self, x):
        out = self.conv2(self.conv1(x))
        res = x if self.downsample is None else self.downsample(x)
        return F.relu(out + res)


class TCLRR3D18(nn.Module):
    """torchvision r3d_18 with TCLR's temporally dilated stage 4."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(
            nn.Conv3d(3, 64, (3, 7, 7), (1, 2, 2), (1, 3, 3), bias=False),
            nn.BatchNorm3d(64), nn.ReLU())
        widths = [(64, 64, 1), (64, 128, 2), (128, 256, 2), (256, 512, 2)]
        for i, (cin, cout, stride) in enumerate(widths):
            dilate = 2 if i == 3 else 1
            setattr(self, f'layer{i + 1}', nn.Sequential(
                _TVBlock(cin, cout, stride, dilate), _TVBlock(cout, cout, 1)))
        self.fc = nn.Linear(512, 400)  # dropped by the converter

    def forward(self, x):
        x = self.stem(x)
        for i in range(1, 5):
            x = getattr(self, f'layer{i}')(x)
        return x.mean((2, 3, 4))


class _MAEAttention(nn.Module):

    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, dim * 3, bias=False)
        self.q_bias = nn.Parameter(torch.randn(dim) * 0.1)
        self.v_bias = nn.Parameter(torch.randn(dim) * 0.1)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        bias = torch.cat([self.q_bias, torch.zeros_like(self.q_bias),
                          self.v_bias])
        qkv = F.linear(x, self.qkv.weight, bias)
        q, k, v = qkv.reshape(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        attn = (q * (c // self.heads)**-0.5) @ k.transpose(-2, -1)
        x = (attn.softmax(-1) @ v).transpose(1, 2).reshape(b, n, c)
        return self.proj(x)


class _MAEMlp(nn.Module):

    def __init__(self, dim):
        super().__init__()
        self.fc1 = nn.Linear(dim, dim * 4)
        self.fc2 = nn.Linear(dim * 4, dim)

    def forward(self, x):
        return self.fc2(F.gelu(self.fc1(x)))


class _MAEBlock(nn.Module):

    def __init__(self, dim, heads):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, eps=1e-6)
        self.attn = _MAEAttention(dim, heads)
        self.norm2 = nn.LayerNorm(dim, eps=1e-6)
        self.mlp = _MAEMlp(dim)

    def forward(self, x):
        x = x + self.attn(self.norm1(x))
        return x + self.mlp(self.norm2(x))


class _PatchEmbed(nn.Module):

    def __init__(self, dim, patch, tubelet):
        super().__init__()
        self.proj = nn.Conv3d(3, dim, (tubelet, patch, patch),
                              (tubelet, patch, patch))


class VideoMAEViT(nn.Module):
    """VideoMAE fine-tuning ViT with mean pooling and ``fc_norm``; the fixed
    sinusoid table is an attribute, not a state-dict entry, as released."""

    def __init__(self, dim=384, depth=2, heads=6, patch=16, tubelet=2,
                 num_tokens=8):
        super().__init__()
        self.patch_embed = _PatchEmbed(dim, patch, tubelet)
        self.blocks = nn.ModuleList([_MAEBlock(dim, heads)
                                     for _ in range(depth)])
        self.fc_norm = nn.LayerNorm(dim, eps=1e-6)
        self.head = nn.Linear(dim, 5)
        pos = torch.arange(num_tokens, dtype=torch.float64)[:, None]
        j = torch.arange(dim)
        table = pos / torch.pow(10000, 2 * (j // 2) / dim)
        table[:, 0::2] = table[:, 0::2].sin()
        table[:, 1::2] = table[:, 1::2].cos()
        self.sinusoid = table.float()[None]

    def forward(self, x):
        x = self.patch_embed.proj(x).flatten(2).transpose(1, 2)
        x = x + self.sinusoid
        for block in self.blocks:
            x = block(x)
        return self.fc_norm(x.mean(1))
