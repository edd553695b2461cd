"""Several necks on the same backbone features (one per pretext task)."""
from typing import Dict, Optional

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmssl.registry import MODELS


@MODELS.register_module()
class ParallelNecks(BaseModule):
    """Named necks applied to the same input; returns a dict of outputs.

    RSPNet (Chen et al., "RSPNet: Relative Speed Perception for
    Unsupervised Video Representation Learning", AAAI 2021, Sec. 3.3) puts
    two independent projection heads on the shared backbone, one for the
    appearance task (A-VID) and one for the relative-speed task (RSP):
    ``neck=dict(type='ParallelNecks', necks=dict(appearance=...,
    speed=...))``. As one neck, both are copied into a momentum encoder.

    Args:
        necks (dict[str, dict]): Name -> neck config.
        init_cfg (dict, optional): Weight initialisation.
    """

    def __init__(self,
                 necks: Dict[str, dict],
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if not necks:
            raise ValueError('ParallelNecks needs at least one neck')
        self.necks = nn.ModuleDict(
            {name: MODELS.build(cfg)
             for name, cfg in necks.items()})

    def forward(self, x: torch.Tensor) -> Dict[str, torch.Tensor]:
        """``{name: neck(x)}`` for every neck."""
        return {name: neck(x) for name, neck in self.necks.items()}
