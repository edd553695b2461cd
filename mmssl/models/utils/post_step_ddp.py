"""DDP wrapper that runs the model's post-optimizer-step update.

MMEngine's ``MMDistributedDataParallel.train_step`` re-implements the
training step (pre-process, forward through DDP, ``update_params``) and
never calls the wrapped model's own ``train_step``. Algorithms with a
momentum encoder or a queue (TDL, RSPNet) update them after the optimizer
step in their ``train_step``; under this wrapper the same update runs after
DDP's step. Everything else is MMEngine's standard DDP path.

Config (distributed runs; ignored by single-process runs)::

    model_wrapper_cfg = dict(
        type='mmssl.models.utils.SSLDistributedDataParallel')

The full import path is needed: MMEngine's ``Runner.wrap_model`` looks the
type up with the *root* ``MODEL_WRAPPERS.get``, which does not search child
registries such as mmssl's (a short name returns ``None``); a dotted module
path is resolved by MMEngine's documented import fallback. The class is also
registered in mmssl's ``MODEL_WRAPPERS``.
"""
from typing import Dict, Union

import torch
from mmengine.model import MMDistributedDataParallel
from mmengine.optim import OptimWrapper

from mmssl.registry import MODEL_WRAPPERS


@MODEL_WRAPPERS.register_module()
class SSLDistributedDataParallel(MMDistributedDataParallel):
    """``MMDistributedDataParallel`` + ``module.after_train_step``.

    After MMEngine's DDP ``train_step`` (forward, backward, optimizer step
    when the optimizer wrapper's accumulation window is complete), calls
    ``self.module.after_train_step(optim_wrapper)`` if the model defines it.
    Buffers are not broadcast before each forward by default
    (``broadcast_buffers=False``, as MMEngine's default wrapper): queues are
    kept identical by all-gathering keys, and a 16384 x 128 queue would
    otherwise be re-sent every iteration.

    Args:
        module (nn.Module): The model.
        detect_anomalous_params (bool): See ``MMDistributedDataParallel``.
        **kwargs: ``torch.nn.parallel.DistributedDataParallel`` arguments.
    """

    def __init__(self,
                 module,
                 detect_anomalous_params: bool = False,
                 **kwargs) -> None:
        kwargs.setdefault('broadcast_buffers', False)
        super().__init__(
            module=module,
            detect_anomalous_params=detect_anomalous_params,
            **kwargs)

    def train_step(self, data: Union[dict, tuple, list],
                   optim_wrapper: OptimWrapper) -> Dict[str, torch.Tensor]:
        """MMEngine's DDP step, then the model's post-step update."""
        log_vars = super().train_step(data, optim_wrapper)
        after = getattr(self.module, 'after_train_step', None)
        if after is not None:
            after(optim_wrapper)
        return log_vars
