"""Distributed set-up that works on CPU-only machines as well as on GPUs.

MMEngine's ``pytorch`` launcher calls ``torch.cuda.set_device`` (which fails
without CUDA) and its default DDP wrapper passes ``device_ids=[LOCAL_RANK]``
(invalid for CPU modules). On a machine without CUDA we therefore initialise
the process group ourselves with the ``gloo`` backend before the Runner is
built (the Runner then skips its own initialisation) and ask for a DDP wrapper
without ``device_ids``. With CUDA available nothing is changed, so GPU runs
keep MMEngine's normal NCCL path.
"""
import os

import torch
import torch.distributed as dist
from mmengine.config import Config


def setup_cpu_distributed(cfg: Config, launcher: str) -> bool:
    """Prepare a CPU (gloo) distributed run if needed.

    Args:
        cfg (Config): The config; ``model_wrapper_cfg`` is set in place when
            the gloo path is taken (keeping any user-given wrapper type).
        launcher (str): The ``--launcher`` value (``none``/``pytorch``/...).

    Returns:
        bool: True if a gloo process group was initialised here.
    """
    if launcher == 'none' or torch.cuda.is_available():
        return False
    if launcher != 'pytorch':
        raise RuntimeError(
            f'launcher={launcher!r} without CUDA is not supported; use '
            '--launcher pytorch (tools/dist_train.sh) on CPU machines.')
    if not dist.is_initialized():
        for key in ('RANK', 'WORLD_SIZE', 'MASTER_ADDR', 'MASTER_PORT'):
            if key not in os.environ:
                raise RuntimeError(
                    f'environment variable {key} is missing; start '
                    'distributed runs with torchrun / tools/dist_train.sh.')
        dist.init_process_group(backend='gloo')
    wrapper = dict(cfg.get('model_wrapper_cfg') or {})
    wrapper.setdefault('type', 'MMDistributedDataParallel')
    wrapper['device_ids'] = None
    cfg.model_wrapper_cfg = wrapper
    env_cfg = cfg.get('env_cfg') or {}
    dist_cfg = dict(env_cfg.get('dist_cfg') or {})
    dist_cfg['backend'] = 'gloo'
    cfg.env_cfg = dict(env_cfg, dist_cfg=dist_cfg)
    return True


def finish_distributed() -> None:
    """End a distributed run cleanly: wait for every rank, then destroy the
    process group.

    MMEngine leaves the process group to interpreter exit. A rank that exits
    while another still works then tears down the backend's threads at
    exit; with gloo under load we saw a rank abort ("terminate called
    without an active exception") after training had finished. Called by the
    tools after a successful ``runner.train()`` / ``runner.test()``; does
    nothing outside a distributed run (NCCL and gloo alike).
    """
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()
