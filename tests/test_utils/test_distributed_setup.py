"""setup_cpu_distributed: gloo path only without CUDA, config rewritten."""
import pytest
import torch
from mmengine.config import Config

from mmssl.utils import setup_cpu_distributed


def make_cfg():
    return Config(
        dict(
            model_wrapper_cfg=dict(find_unused_parameters=True),
            env_cfg=dict(dist_cfg=dict(backend='nccl'))))


def test_non_distributed_launch_changes_nothing():
    cfg = make_cfg()
    assert setup_cpu_distributed(cfg, 'none') is False
    assert cfg.env_cfg.dist_cfg.backend == 'nccl'


def test_cuda_machines_keep_nccl(monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    cfg = make_cfg()
    assert setup_cpu_distributed(cfg, 'pytorch') is False
    assert 'device_ids' not in cfg.model_wrapper_cfg


def test_cpu_pytorch_launch_uses_gloo(monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    monkeypatch.setattr(torch.distributed, 'is_initialized', lambda: True)
    cfg = make_cfg()
    assert setup_cpu_distributed(cfg, 'pytorch') is True
    assert cfg.model_wrapper_cfg == dict(
        type='MMDistributedDataParallel',
        find_unused_parameters=True,
        device_ids=None)
    assert cfg.env_cfg.dist_cfg.backend == 'gloo'


def test_cpu_launch_errors_are_explained(monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    monkeypatch.setattr(torch.distributed, 'is_initialized', lambda: False)
    monkeypatch.delenv('MASTER_ADDR', raising=False)
    with pytest.raises(RuntimeError, match='MASTER_ADDR|RANK'):
        setup_cpu_distributed(make_cfg(), 'pytorch')
    with pytest.raises(RuntimeError, match='--launcher pytorch'):
        setup_cpu_distributed(make_cfg(), 'slurm')


def test_finish_distributed_destroys_the_process_group(tmp_path):
    """The tools end a distributed run with a barrier and an explicit
    destroy (MMEngine leaves the group to interpreter exit); outside a
    distributed run it does nothing."""
    import torch.distributed as dist

    from mmssl.utils import finish_distributed
    finish_distributed()  # no group: no-op
    dist.init_process_group(
        'gloo', init_method=f'file://{tmp_path}/rendezvous', rank=0,
        world_size=1)
    assert dist.is_initialized()
    finish_distributed()
    assert not dist.is_initialized()
