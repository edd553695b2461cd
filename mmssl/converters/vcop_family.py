"""Converters for the C3D, R3D and R(2+1)D of VCOP's code base.

Xu et al., "Self-supervised Spatiotemporal Learning via Video Clip Order
Prediction", CVPR 2019 (xudejing/video-clip-order-prediction,
``models/{c3d,r3d,r21d}.py``). The same three model files are used by PRP
(Yao et al., CVPR 2020; yuanyao366/PRP) and, for C3D and R(2+1)D, by RSPNet
(Chen et al., AAAI 2021; PeihaoChen/RSPNet, ``models/{c3d,r2plus1d_vcop}
.py``), so one converter per architecture serves all three papers; only the
wrapper prefix differs:

==========  =============================================================
source      where the backbone sits in the released state dict
==========  =============================================================
VCOP        ``base_network.`` (``VCOPN``), plain keys after fine-tuning
PRP         ``module.base_network.`` (``SSCN`` in ``DataParallel``)
RSPNet      ``encoder_q.encoder.`` of ``checkpoint['model']`` (MoCo query
            encoder inside ``MultiTaskWrapper``)
==========  =============================================================

Targets: :class:`~mmssl.models.backbones.C3DVCOP`, MMAction2's
``ResNet3d`` as configured in ``configs/_base_/models/backbones/r3d_vcop.py``
and :class:`~mmssl.models.backbones.R2Plus1DVCOP`.
"""
import re
from typing import List

from .key_mapping import DropRule, KeyRule

#: Wrapper prefixes of VCOP, PRP and RSPNet checkpoints, most specific first.
VCOP_FAMILY_PREFIXES = ('module.base_network.', 'base_network.',
                        'module.encoder_q.encoder.', 'encoder_q.encoder.',
                        'module.', '')

#: The released models' classifiers (``with_classifier=True``) are not
#: part of the backbone.
VCOP_FAMILY_DROPS = (DropRule(r'linear\..+', 'classifier of the released '
                              'model (not part of the backbone)'), )

C3D_RULES = (
    KeyRule(r'conv(\d[ab]?)\.(weight|bias)', r'conv\1.conv.\2'),
    KeyRule(r'bn(\d[ab]?)\.(.+)', r'conv\1.bn.\2'),
)


def _residual_stage_rule(inner: List[KeyRule]) -> KeyRule:
    """Map ``conv{2..5}.block1.*`` / ``conv{s}.blocks.{i}.*`` (VCOP's
    ``SpatioTemporalResLayer``) to ``layer{s-1}.{0|i+1}.*`` with ``inner``
    renaming the part inside the block."""

    def rename(match: re.Match):
        stage = int(match.group(1)) - 1
        block = 0 if match.group(2) is None else int(match.group(2)) + 1
        inner_key = next((k for k in (r.apply(match.group(3)) for r in inner)
                          if k is not None), None)
        if inner_key is None:
            return None
        return f'layer{stage}.{block}.{inner_key}'

    return KeyRule(r'conv([2-5])\.(?:block1|blocks\.(\d+))\.(.+)', rename)


R3D_RULES = (
    KeyRule(r'conv1\.temporal_spatial_conv\.weight', 'conv1.conv.weight'),
    KeyRule(r'bn1\.(.+)', r'conv1.bn.\1'),
    _residual_stage_rule([
        KeyRule(r'conv([12])\.temporal_spatial_conv\.weight',
                r'conv\1.conv.weight'),
        KeyRule(r'bn([12])\.(.+)', r'conv\1.bn.\2'),
        KeyRule(r'downsampleconv\.temporal_spatial_conv\.weight',
                'downsample.conv.weight'),
        KeyRule(r'downsamplebn\.(.+)', r'downsample.bn.\1'),
    ]),
)

R2PLUS1D_RULES = (
    KeyRule(r'conv1\.spatial_conv\.weight', 'conv1.0.conv_s.weight'),
    KeyRule(r'conv1\.bn\.(.+)', r'conv1.0.bn_s.\1'),
    KeyRule(r'conv1\.temporal_conv\.weight', 'conv1.0.conv_t.weight'),
    KeyRule(r'bn1\.(.+)', r'conv1.1.\1'),
    _residual_stage_rule([
        KeyRule(r'conv([12])\.spatial_conv\.weight', r'conv\1.conv_s.weight'),
        KeyRule(r'conv([12])\.bn\.(.+)', r'conv\1.bn_s.\2'),
        KeyRule(r'conv([12])\.temporal_conv\.weight',
                r'conv\1.conv_t.weight'),
        KeyRule(r'bn([12])\.(.+)', r'bn\1.\2'),
        KeyRule(r'downsampleconv\.spatial_conv\.weight',
                'downsample.0.conv_s.weight'),
        KeyRule(r'downsampleconv\.bn\.(.+)', r'downsample.0.bn_s.\1'),
        KeyRule(r'downsampleconv\.temporal_conv\.weight',
                'downsample.0.conv_t.weight'),
        KeyRule(r'downsamplebn\.(.+)', r'downsample.1.\1'),
    ]),
)
