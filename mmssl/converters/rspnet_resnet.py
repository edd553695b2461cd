"""Converter for the ResNet-18 released by RSPNet.

Chen et al., "RSPNet: Relative Speed Perception for Unsupervised Video
Representation Learning", AAAI 2021 (PeihaoChen/RSPNet ``models/resnet.py``,
``arch: resnet18``; the README links ``model_best_resnet18_200epoch.pth
.tar``). The model is Hara et al.'s 3D-ResNet (kenshohara/3D-ResNets-
PyTorch): a 7x7x7 stem conv with stride (1, 2, 2), a 3x3x3 max-pool with
stride 2 in T, H and W, 3x3x3 basic blocks and 1x1x1 conv + BN shortcuts,
BN eps 1e-5. :class:`~mmssl.models.backbones.StemPoolResNet3d`
(``configs/_base_/models/backbones/r3d_18_rspnet.py``) reproduces it; its
keys are MMAction2's ``ResNet3d`` keys.

===========================================  ===============================
RSPNet ``resnet18``                          MMAction2 ``ResNet3d``
===========================================  ===============================
``conv1.weight``, ``bn1.*``                  ``conv1.conv.weight``,
                                             ``conv1.bn.*``
``layerX.Y.conv{1,2}.weight``                ``layerX.Y.conv{1,2}.conv.weight``
``layerX.Y.bn{1,2}.*``                       ``layerX.Y.conv{1,2}.bn.*``
``layerX.Y.downsample.0.weight`` / ``.1.*``  ``layerX.Y.downsample.conv`` /
                                             ``.bn``
``fc``                                       dropped (classifier)
===========================================  ===============================

Wrappers as for RSPNet's S3D-G: ``encoder_q.encoder.`` in
``checkpoint['model']`` of a pre-training checkpoint, ``encoder.`` in a
fine-tuned one.
"""
from .key_mapping import KeyRule

_BLOCK = r'layer(?P<s>[1-4])\.(?P<b>\d+)\.'
_LAYER = r'layer\g<s>.\g<b>.'

RSPNET_RESNET_RULES = (
    KeyRule(r'conv1\.weight', 'conv1.conv.weight'),
    KeyRule(r'bn1\.(.+)', r'conv1.bn.\1'),
    KeyRule(_BLOCK + r'conv(?P<c>[12])\.weight',
            _LAYER + r'conv\g<c>.conv.weight'),
    KeyRule(_BLOCK + r'bn(?P<c>[12])\.(?P<p>.+)',
            _LAYER + r'conv\g<c>.bn.\g<p>'),
    KeyRule(_BLOCK + r'downsample\.0\.weight',
            _LAYER + 'downsample.conv.weight'),
    KeyRule(_BLOCK + r'downsample\.1\.(?P<p>.+)',
            _LAYER + r'downsample.bn.\g<p>'),
)
