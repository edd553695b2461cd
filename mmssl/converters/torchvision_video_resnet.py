"""Converter for torchvision's ``VideoResNet`` layout (``r3d_18``) as
released by TCLR.

Dave et al., "TCLR: Temporal Contrastive Learning for Video
Representation", CVIU 2022 (DAVEISHAN/TCLR, ``tclr_pretraining/model.py``):
the backbone is torchvision's ``r3d_18`` with the first conv of stage 4
temporally dilated (dilation 2, padding 2, temporal stride 1) and its
shortcut at temporal stride 1, wrapped as ``nn.Sequential(backbone, mlp)``
in ``DataParallel``: weights under ``module.0.`` of
``checkpoint['state_dict']``, the projection MLP under ``module.1.``.

Target: MMAction2's ``ResNet3d`` laid out like torchvision's r3d_18
(``configs/_base_/models/tclr_family_r3d_18.py``). With
:class:`~mmssl.models.backbones.TemporallyDilatedResNet3d`
(``configs/_base_/models/backbones/r3d_18_tclr_dilated.py``) the converted
backbone computes exactly what the released one does; loaded into the plain
``ResNet3d`` (temporal stride 1 and no dilation in stage 4) it differs in
stage 4, as documented on the TCLR page.
"""
from .key_mapping import DropRule, KeyRule

VIDEO_RESNET_PREFIXES = ('module.0.', '0.', 'module.backbone.', 'backbone.',
                         'module.', '')

VIDEO_RESNET_DROPS = (DropRule(r'fc\..+', 'classifier of the released '
                               'model (not part of the backbone)'), )

VIDEO_RESNET_RULES = (
    KeyRule(r'stem\.0\.weight', 'conv1.conv.weight'),
    KeyRule(r'stem\.1\.(.+)', r'conv1.bn.\1'),
    KeyRule(r'layer(\d)\.(\d+)\.conv([12])\.0\.weight',
            r'layer\1.\2.conv\3.conv.weight'),
    KeyRule(r'layer(\d)\.(\d+)\.conv([12])\.1\.(.+)',
            r'layer\1.\2.conv\3.bn.\4'),
    KeyRule(r'layer(\d)\.(\d+)\.downsample\.0\.weight',
            r'layer\1.\2.downsample.conv.weight'),
    KeyRule(r'layer(\d)\.(\d+)\.downsample\.1\.(.+)',
            r'layer\1.\2.downsample.bn.\3'),
)
