"""Helpers of the feature-cache and linear-probe tests."""
import os.path as osp

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
VCOP_TINY = 'configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py'


def tiny_checkpoint(path: str, seed: int = 1) -> str:
    """Save an (untrained) VCOP tiny checkpoint with non-default BatchNorm
    running means, so that a probe that updated them would be seen."""
    from mmssl.registry import MODELS
    from mmssl.utils import register_all_modules
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(osp.join(REPO_ROOT, VCOP_TINY))
    init_default_scope('mmssl')
    torch.manual_seed(seed)
    model = MODELS.build(cfg.model)
    for name, buffer in model.named_buffers():
        if name.endswith('running_mean'):
            buffer.normal_(0, 0.1)
    torch.save(dict(state_dict=model.state_dict(), meta=dict(epoch=1)), path)
    return path
