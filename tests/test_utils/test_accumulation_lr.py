"""auto_scale_lr counts gradient accumulation (MMEngine's does not)."""
from types import SimpleNamespace

import torch
from mmengine.config import Config
from mmengine.logging import MMLogger
from mmengine.optim import OptimWrapper
from mmengine.runner import Runner

from mmssl.utils.accumulation_lr import account_for_accumulation


def scaled_lr(accumulative_counts, fix):
    """lr after MMEngine's ``Runner.scale_lr``: batch 8, one process."""
    cfg = Config(
        dict(
            auto_scale_lr=dict(enable=True, base_batch_size=32),
            optim_wrapper=dict(accumulative_counts=accumulative_counts)))
    if fix:
        account_for_accumulation(cfg)
    wrapper = OptimWrapper(
        torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=0.1),
        accumulative_counts=accumulative_counts)
    runner = SimpleNamespace(
        _train_dataloader=dict(batch_size=8),
        world_size=1,
        logger=MMLogger.get_instance('mmssl-accumulation-lr'),
        param_schedulers=None)
    Runner.scale_lr(runner, wrapper, cfg.auto_scale_lr)
    return wrapper.optimizer.param_groups[0]['lr']


def test_accumulation_enters_the_linear_scaling_rule():
    # 4 accumulation steps of 8: 32 samples per optimizer step = base
    assert scaled_lr(4, fix=False) == 0.025  # MMEngine alone: 4x too small
    assert scaled_lr(4, fix=True) == 0.1
    assert scaled_lr(1, fix=True) == 0.025


def test_disabled_or_no_accumulation_changes_nothing():
    cfg = Config(
        dict(
            auto_scale_lr=dict(enable=False, base_batch_size=32),
            optim_wrapper=dict(accumulative_counts=4)))
    assert account_for_accumulation(cfg) == 1
    assert cfg.auto_scale_lr.base_batch_size == 32
    cfg.auto_scale_lr.enable = True
    assert account_for_accumulation(cfg) == 4
    assert cfg.auto_scale_lr.base_batch_size == 8
    assert account_for_accumulation(Config(dict(optim_wrapper={}))) == 1
