"""The registered checkpoint converters: one :class:`ConverterSpec` each."""
import os.path as osp
from dataclasses import dataclass, field
from typing import Callable, Dict, Optional, Sequence, Tuple

from mmengine.config import Config

from .key_mapping import DropRule, KeyRule
from .pyvrl_resnet import (PYVRL_PREFIXES, PYVRL_R2PLUS1D_RULES,
                           PYVRL_R3D_RULES)
from .rspnet_resnet import RSPNET_RESNET_RULES
from .rspnet_s3dg import (RSPNET_DROPS, RSPNET_PREFIXES, RSPNET_S3DG_RULES,
                          excitation_to_linear)
from .torchvision_video_resnet import (VIDEO_RESNET_DROPS,
                                       VIDEO_RESNET_PREFIXES,
                                       VIDEO_RESNET_RULES)
from .vcop_family import (C3D_RULES, R2PLUS1D_RULES, R3D_RULES,
                          VCOP_FAMILY_DROPS, VCOP_FAMILY_PREFIXES)
from .videomae import (HF_VIDEOMAE_DROPS, HF_VIDEOMAE_PREFIXES,
                       HF_VIDEOMAE_RULES, VIDEOMAE_DROPS, VIDEOMAE_PREFIXES,
                       VIDEOMAE_RULES, fill_sinusoid_pos_embed, fuse_hf_qkv,
                       videomae_backbone_cfg)

#: ``configs/`` of the source tree (converters name their target backbones
#: by config file, the same files the training configs use).
CONFIG_ROOT = osp.join(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))), 'configs')


@dataclass(frozen=True)
class ConverterSpec:
    """How to convert one released format.

    Attributes:
        name (str): CLI name, e.g. ``'vcop-c3d'``.
        description (str): Paper, repository and architecture.
        prefixes (Sequence[str]): Wrapper prefixes, see
            :func:`~mmssl.converters.key_mapping.select_prefix`.
        rules (Sequence[KeyRule]): Renames.
        drops (Sequence[DropRule]): Source keys without a target.
        backbone (str | Callable): ``'<config file>:<variable>'`` under
            ``configs/``, or a function of the converted state returning the
            backbone dict (VideoMAE, whose size is read from the weights).
        optional_target (Sequence[DropRule]): Target keys the release has no
            counterpart for (left to the target's initialisation), with why.
        post_rename (Callable, optional): ``f(state, report)`` after renaming.
        post_target (Callable, optional): ``f(state, target_state, report)``
            once the target is built (e.g. fill fixed buffers).
    """
    name: str
    description: str
    prefixes: Sequence[str]
    rules: Sequence[KeyRule]
    drops: Sequence[DropRule]
    backbone: object
    optional_target: Sequence[DropRule] = field(default_factory=tuple)
    post_rename: Optional[Callable] = None
    post_target: Optional[Callable] = None

    def backbone_cfg(self, state: Dict, **kwargs) -> dict:
        """The target backbone config for the converted ``state``."""
        if callable(self.backbone):
            return self.backbone(state, **kwargs)
        rel_path, variable = self.backbone.split(':')
        path = osp.join(CONFIG_ROOT, rel_path)
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'target backbone config {path} not found; run from an '
                'mmssl source checkout or pass --backbone-config')
        return Config.fromfile(path)[variable].to_dict()


_BACKBONES = '_base_/models/backbones/'
_VCOP_DESC = ('{arch} of VCOP (Xu et al., CVPR 2019, '
              'xudejing/video-clip-order-prediction models/{file}); also '
              'the {arch} released by {others}')
_FC_NORM = (DropRule(r'fc_norm\.(weight|bias)', 'a pre-training release '
                     'has no fc_norm; fine-tuning initialises it'), )

CONVERTERS: Dict[str, ConverterSpec] = {
    spec.name: spec
    for spec in (
        ConverterSpec(
            'vcop-c3d',
            _VCOP_DESC.format(arch='C3D', file='c3d.py',
                              others='PRP (yuanyao366/PRP) and RSPNet '
                              '(PeihaoChen/RSPNet, arch c3d)'),
            VCOP_FAMILY_PREFIXES, C3D_RULES, VCOP_FAMILY_DROPS,
            _BACKBONES + 'c3d_vcop.py:backbone'),
        ConverterSpec(
            'vcop-r3d',
            _VCOP_DESC.format(arch='R3D', file='r3d.py',
                              others='PRP (yuanyao366/PRP)'),
            VCOP_FAMILY_PREFIXES, R3D_RULES, VCOP_FAMILY_DROPS,
            _BACKBONES + 'r3d_vcop.py:backbone'),
        ConverterSpec(
            'vcop-r21d',
            _VCOP_DESC.format(arch='R(2+1)D', file='r21d.py',
                              others='PRP (yuanyao366/PRP) and RSPNet '
                              '(PeihaoChen/RSPNet, arch r2plus1d-vcop)'),
            VCOP_FAMILY_PREFIXES, R2PLUS1D_RULES, VCOP_FAMILY_DROPS,
            _BACKBONES + 'r2plus1d_vcop.py:backbone'),
        ConverterSpec(
            'tclr-r3d18',
            'R3D-18 of TCLR (Dave et al., CVIU 2022, DAVEISHAN/TCLR '
            'tclr_pretraining/model.py): torchvision r3d_18 with a '
            'temporally dilated stage 4',
            VIDEO_RESNET_PREFIXES, VIDEO_RESNET_RULES, VIDEO_RESNET_DROPS,
            _BACKBONES + 'r3d_18_tclr_dilated.py:backbone'),
        ConverterSpec(
            'rspnet-s3dg',
            'S3D-G of RSPNet (Chen et al., AAAI 2021, PeihaoChen/RSPNet '
            'models/s3dg.py, arch s3dg): PyTorch port with a separable '
            'conv1 and gating after every separable conv',
            RSPNET_PREFIXES, RSPNET_S3DG_RULES, RSPNET_DROPS,
            _BACKBONES + 's3dg_rspnet.py:backbone',
            post_rename=excitation_to_linear),
        ConverterSpec(
            'rspnet-r3d18',
            'ResNet-18 of RSPNet (PeihaoChen/RSPNet models/resnet.py, arch '
            'resnet18; Hara et al.\'s 3D-ResNet): 7x7x7 stem conv, 3x3x3 '
            'stem max-pool with stride 2 in T, H, W',
            RSPNET_PREFIXES, RSPNET_RESNET_RULES, RSPNET_DROPS,
            _BACKBONES + 'r3d_18_rspnet.py:backbone'),
        ConverterSpec(
            'ctp-r3d18',
            'R3D-18 of CtP (Wang et al., CVPR 2021, microsoft/CtP, the pyvrl '
            'code base, pyvrl/models/backbones/r3d.py): stage 4 halves time '
            'only, BN eps 1e-3',
            PYVRL_PREFIXES, PYVRL_R3D_RULES, (),
            _BACKBONES + 'r3d_18_ctp.py:backbone'),
        ConverterSpec(
            'ctp-r2plus1d18',
            'R(2+1)D-18 of CtP (microsoft/CtP, pyvrl/models/backbones/r3d.py '
            'R2Plus1D): 45-channel stem middle width, plain 1x1x1 conv '
            'shortcuts, stage 4 halves time only, BN eps 1e-3',
            PYVRL_PREFIXES, PYVRL_R2PLUS1D_RULES, (),
            _BACKBONES + 'r2plus1d_18_ctp.py:backbone'),
        ConverterSpec(
            'videomae',
            'VideoMAE ViT encoder of the authors\' release (Tong et al., '
            'NeurIPS 2022, MCG-NJU/VideoMAE), pre-training or fine-tuned',
            VIDEOMAE_PREFIXES, VIDEOMAE_RULES, VIDEOMAE_DROPS,
            videomae_backbone_cfg, optional_target=_FC_NORM,
            post_target=fill_sinusoid_pos_embed),
        ConverterSpec(
            'videomae-hf',
            'VideoMAE ViT encoder in Hugging Face transformers\' layout '
            '(VideoMAEModel, VideoMAEForPreTraining, '
            'VideoMAEForVideoClassification)',
            HF_VIDEOMAE_PREFIXES, HF_VIDEOMAE_RULES, HF_VIDEOMAE_DROPS,
            videomae_backbone_cfg, optional_target=_FC_NORM,
            post_rename=fuse_hf_qkv, post_target=fill_sinusoid_pos_embed),
    )
}


def get_converter(name: str) -> ConverterSpec:
    """The converter ``name``; ``KeyError`` lists the known ones."""
    if name not in CONVERTERS:
        raise KeyError(f'unknown converter "{name}"; known: '
                       f'{sorted(CONVERTERS)}')
    return CONVERTERS[name]


def describe_converters() -> Tuple[str, ...]:
    """``'name: description'`` lines for ``--help``."""
    return tuple(f'{n}: {s.description}' for n, s in CONVERTERS.items())
