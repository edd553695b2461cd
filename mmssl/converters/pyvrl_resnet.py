"""Converters for the R3D-18 and R(2+1)D-18 of the pyvrl code base, as
released by CtP.

Wang et al., "Unsupervised Visual Representation Learning by Tracking
Patches in Video", CVPR 2021 (microsoft/CtP, ``pyvrl/models/backbones/
r3d.py``, ``configs/ctp/r3d_18_*/pretraining.py``). pyvrl's ``R3D`` keeps
the stem as ``stem.{conv,bn}``, each block's BN beside its conv
(``conv1.conv`` + ``bn1``) and the shortcut as ``downsample.conv`` +
``downsample_bn``; the checkpoint is MMCV's (``checkpoint['state_dict']``,
backbone under ``backbone.``, CtP's tracking head under ``head.``, dropped).

Target: MMAction2's ``ResNet3d`` as configured in
``configs/_base_/models/backbones/r3d_18_ctp.py`` (stage 4 halves time
only, BN eps 1e-3), which computes what the released backbone computes.

CtP's R(2+1)D-18 (``R2Plus1D`` of the same file) factorises every block
conv as ``conv1.{conv_s,bn_s,conv_t}`` + ``bn1``, its stem as
``stem.{conv_s,bn_s,conv_t,bn_t}`` (fixed 45-channel middle width) and
keeps plain ``downsample.conv`` shortcuts. Target: mmssl's
:class:`~mmssl.models.backbones.R2Plus1DVCOP` as configured in
``configs/_base_/models/backbones/r2plus1d_18_ctp.py``
(``stem_mid_channels=45``, ``shortcut='conv'``, stage 4 halving time only,
BN eps 1e-3).
"""
from .key_mapping import KeyRule

PYVRL_PREFIXES = ('module.backbone.', 'backbone.', 'module.', '')

_BLOCK = r'layer(?P<s>[1-4])\.(?P<b>\d+)\.'
_LAYER = r'layer\g<s>.\g<b>.'

PYVRL_R3D_RULES = (
    KeyRule(r'stem\.conv\.weight', 'conv1.conv.weight'),
    KeyRule(r'stem\.bn\.(.+)', r'conv1.bn.\1'),
    KeyRule(_BLOCK + r'conv(?P<c>[12])\.conv\.weight',
            _LAYER + r'conv\g<c>.conv.weight'),
    KeyRule(_BLOCK + r'bn(?P<c>[12])\.(?P<p>.+)',
            _LAYER + r'conv\g<c>.bn.\g<p>'),
    KeyRule(_BLOCK + r'downsample\.conv\.weight',
            _LAYER + 'downsample.conv.weight'),
    KeyRule(_BLOCK + r'downsample_bn\.(?P<p>.+)',
            _LAYER + r'downsample.bn.\g<p>'),
)

PYVRL_R2PLUS1D_RULES = (
    KeyRule(r'stem\.(?P<m>conv_s|bn_s|conv_t)\.(?P<p>.+)',
            r'conv1.0.\g<m>.\g<p>'),
    KeyRule(r'stem\.bn_t\.(.+)', r'conv1.1.\1'),
    KeyRule(_BLOCK + r'conv(?P<c>[12])\.(?P<m>conv_s|bn_s|conv_t)\.'
            r'(?P<p>.+)', _LAYER + r'conv\g<c>.\g<m>.\g<p>'),
    KeyRule(_BLOCK + r'bn(?P<c>[12])\.(?P<p>.+)', _LAYER + r'bn\g<c>.\g<p>'),
    KeyRule(_BLOCK + r'downsample\.conv\.weight',
            _LAYER + 'downsample.0.weight'),
    KeyRule(_BLOCK + r'downsample_bn\.(?P<p>.+)',
            _LAYER + r'downsample.1.\g<p>'),
)
