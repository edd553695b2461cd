"""Shared behaviour of mmssl's 3D CNN backbones."""
import warnings
from typing import List, Optional, Sequence, Union

import torch.nn as nn
from mmcv.cnn import ConvModule
from mmengine.model import BaseModule
from mmengine.model.weight_init import constant_init, kaiming_init, normal_init
from torch.nn.modules.batchnorm import _BatchNorm


def conv3d_module(*args, **kwargs) -> ConvModule:
    """MMCV ``ConvModule`` (conv -> norm -> act) with a ``Conv3d``.

    Takes ``ConvModule``'s arguments; ``norm_cfg`` defaults to BN3d and
    ``act_cfg`` to ReLU. A conv bias before BN is allowed silently: some
    reference models (C3D of VCOP, 3D-SqueezeNet) have one, and it counts
    in their published parameter numbers.
    """
    kwargs.setdefault('norm_cfg', dict(type='BN3d', requires_grad=True))
    with warnings.catch_warnings():
        warnings.filterwarnings('ignore', message='Unnecessary conv bias')
        return ConvModule(*args, conv_cfg=dict(type='Conv3d'), **kwargs)


class BaseBackbone3D(BaseModule):
    """Base class: default initialisation, ``frozen_stages``, ``norm_eval``.

    A subclass lists its stages in ``self.stage_names`` (set before calling
    :meth:`_freeze_stages`): ``stage_names[0]`` holds the attribute names of
    the stem, ``stage_names[i]`` those of the i-th stage. As in MMAction2's
    ``ResNet3d``, ``frozen_stages=k`` freezes the stem and stages ``1..k``
    (``-1`` freezes nothing) and ``norm_eval=True`` keeps every BN layer in
    eval mode while training.

    Args:
        frozen_stages (int): Stages to freeze (see above). Defaults to -1.
        norm_eval (bool): Keep BN layers in eval mode. Defaults to False.
        init_cfg (dict or list[dict], optional): MMEngine initialisation
            config, e.g. ``dict(type='Pretrained', checkpoint=...)``. When
            None, :meth:`init_weights` applies Kaiming (fan-out) init to
            convolutions, ones/zeros to BN, N(0, 0.01) to linear layers.
    """

    def __init__(self,
                 frozen_stages: int = -1,
                 norm_eval: bool = False,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.frozen_stages = frozen_stages
        self.norm_eval = norm_eval
        self.stage_names: Sequence[Sequence[str]] = []

    def _check_frozen_stages(self) -> None:
        if not -1 <= self.frozen_stages < len(self.stage_names):
            raise ValueError(
                f'frozen_stages must be in [-1, {len(self.stage_names) - 1}]'
                f' for {type(self).__name__}, got {self.frozen_stages}')

    def _freeze_stages(self) -> None:
        """Put frozen stages in eval mode and stop their gradients."""
        for names in self.stage_names[:self.frozen_stages + 1]:
            for name in names:
                module = getattr(self, name)
                module.eval()
                for param in module.parameters():
                    param.requires_grad = False

    def init_weights(self) -> None:
        """Initialise parameters (see class docstring)."""
        if self.init_cfg is not None:
            super().init_weights()
            return
        for m in self.modules():
            if isinstance(m, nn.Conv3d):
                kaiming_init(m)
            elif isinstance(m, _BatchNorm):
                constant_init(m, 1)
            elif isinstance(m, nn.Linear):
                normal_init(m, std=0.01)

    def train(self, mode: bool = True) -> 'BaseBackbone3D':
        """Set train/eval mode, keeping frozen stages and BN (if
        ``norm_eval``) in eval mode."""
        super().train(mode)
        self._freeze_stages()
        if mode and self.norm_eval:
            for m in self.modules():
                if isinstance(m, _BatchNorm):
                    m.eval()
        return self
