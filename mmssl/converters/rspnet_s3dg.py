"""Converter for the S3D-G released by RSPNet.

Chen et al., "RSPNet: Relative Speed Perception for Unsupervised Video
Representation Learning", AAAI 2021 (PeihaoChen/RSPNet, ``models/s3dg.py``,
``arch: s3dg``). RSPNet's S3D-G is a PyTorch port that differs from the
TF-Slim layout of mmssl's default :class:`~mmssl.models.backbones.S3DG`
(separable conv1 whose spatial conv also strides time, gating after every
separable conv rather than on every Inception branch, last max-pool
rounding down); ``S3DG(layout='rspnet', first_temporal_kernel_size=7)``
(``configs/_base_/models/backbones/s3dg_rspnet.py``) reproduces it.

Released layout (``feature`` is an ``nn.Sequential`` of named stages):

===========================================  ===============================
RSPNet                                       mmssl ``S3DG(layout='rspnet')``
===========================================  ===============================
``feature.sepConv1.sep_conv.{0,1}.conv3d``   ``conv1.conv_{s,t}.conv``
``feature.sepConv1.sep_conv.{0,1}.bn``       ``conv1.conv_{s,t}.bn``
``feature.sepConv1.excitation`` (1x1x1)      ``conv1.gate.fc`` (linear)
``feature.basicConv3d.{conv3d,bn}``          ``conv2b.{conv,bn}``
``feature.sep_conv2.*``                      ``conv2c.*`` (as sepConv1)
``feature.sepInc_4b.branch0.{conv3d,bn}``    ``mixed_4b.branch0.{conv,bn}``
``feature.sepInc_4b.branch1.0`` / ``.1``     ``mixed_4b.branch1.0`` / ``.1``
``feature.sepInc_4b.branch3.1``              ``mixed_4b.branch3.1``
``fc``                                       dropped (classifier)
===========================================  ===============================

Wrappers: ``encoder_q.encoder.`` in ``checkpoint['model']`` of a
pre-training checkpoint (MoCo query encoder of ``MultiTaskWrapper``; the
key encoder, projection heads and queue are dropped), ``encoder.`` in a
fine-tuned one.
"""
from typing import Dict, List

import torch

from .key_mapping import ConversionReport, DropRule, KeyRule

RSPNET_PREFIXES = ('module.encoder_q.encoder.', 'encoder_q.encoder.',
                   'module.encoder.', 'encoder.', 'module.', '')

RSPNET_DROPS = (DropRule(r'fc\..+', 'classifier of the released model '
                         '(not part of the backbone)'), )


def _basic(src: str, dst: str) -> List[KeyRule]:
    """``BasicConv3d`` (``conv3d`` + ``bn``) -> ``ConvModule``."""
    return [KeyRule(src + r'conv3d\.weight', dst + 'conv.weight'),
            KeyRule(src + r'bn\.(?P<p>.+)', dst + r'bn.\g<p>')]


def _sep(src: str, dst: str) -> List[KeyRule]:
    """``sep_conv`` (two ``BasicConv3d`` + ``excitation``) ->
    ``SepConv3d`` (``conv_s``, ``conv_t``, ``gate.fc``)."""
    return [*_basic(src + r'sep_conv\.0\.', dst + 'conv_s.'),
            *_basic(src + r'sep_conv\.1\.', dst + 'conv_t.'),
            KeyRule(src + r'excitation\.(?P<p>weight|bias)',
                    dst + r'gate.fc.\g<p>')]


_INC = r'feature\.sepInc_(?P<m>\d[b-f])\.'
_MIXED = r'mixed_\g<m>.'

RSPNET_S3DG_RULES = (
    *_sep(r'feature\.sepConv1\.', 'conv1.'),
    *_basic(r'feature\.basicConv3d\.', 'conv2b.'),
    *_sep(r'feature\.sep_conv2\.', 'conv2c.'),
    *_basic(_INC + r'branch0\.', _MIXED + 'branch0.'),
    *_basic(_INC + r'branch(?P<b>[12])\.0\.', _MIXED + r'branch\g<b>.0.'),
    *_sep(_INC + r'branch(?P<b>[12])\.1\.', _MIXED + r'branch\g<b>.1.'),
    *_basic(_INC + r'branch3\.1\.', _MIXED + 'branch3.1.'),
)


def excitation_to_linear(state: Dict[str, torch.Tensor],
                         report: ConversionReport) -> None:
    """View the gates' 1x1x1 ``excitation`` conv weights ``(C, C, 1, 1, 1)``
    as the linear weights ``(C, C)`` of mmssl's ``SelfGating`` (the same map
    on the pooled ``(N, C, 1, 1, 1)`` input), in place."""
    for key in [k for k in state if k.endswith('gate.fc.weight')]:
        weight = state[key]
        if weight.dim() == 5 and weight.shape[2:] == (1, 1, 1):
            state[key] = weight.flatten(1)
            report.filled[key] = ('1x1x1 excitation conv weight viewed as '
                                  'a linear weight')
