"""Momentum (exponential-moving-average) copy of an encoder."""
import copy
from typing import Dict, Iterator, Mapping, Optional, Tuple

import torch
import torch.nn as nn


class MomentumEncoder(nn.Module):
    """EMA copy of the online encoder modules (e.g. backbone + neck).

    He et al., "Momentum Contrast for Unsupervised Visual Representation
    Learning" (MoCo), CVPR 2020, Eq. 2: after every optimizer step::

        theta_k <- m * theta_k + (1 - m) * theta_q

    for every parameter; ``m = 0`` makes the key encoder a copy of the
    current online encoder, ``m = 1`` freezes it. The copies are
    sub-modules (saved in and resumed from checkpoints) with
    ``requires_grad=False``. Buffers (BN running statistics) are the key
    encoder's own, as in MoCo; ``copy_buffers=True`` copies the online
    buffers at each update instead.

    The modules are stored under their names, e.g. a state dict holds
    ``momentum_encoder.backbone.*`` and ``momentum_encoder.neck.*``.

    Args:
        modules (Mapping[str, nn.Module | None]): Online modules to copy
            (``None`` entries are skipped).
        momentum (float): ``m`` in ``[0, 1]``. Defaults to 0.999 (MoCo,
            RSPNet).
        copy_buffers (bool): Copy online buffers at each update. Defaults
            to False.
    """

    def __init__(self,
                 modules: Mapping[str, Optional[nn.Module]],
                 momentum: float = 0.999,
                 copy_buffers: bool = False) -> None:
        super().__init__()
        if not 0.0 <= momentum <= 1.0:
            raise ValueError(f'momentum must be in [0, 1], got {momentum}')
        self.momentum = float(momentum)
        self.copy_buffers = copy_buffers
        self.names = tuple(k for k, v in modules.items() if v is not None)
        if not self.names:
            raise ValueError('MomentumEncoder needs at least one module')
        for name in self.names:
            copied = copy.deepcopy(modules[name])
            for p in copied.parameters():
                p.requires_grad_(False)
            self.add_module(name, copied)

    def _pairs(self, online: Mapping[str, Optional[nn.Module]]
               ) -> Iterator[Tuple[str, nn.Module, nn.Module]]:
        missing = [n for n in self.names if online.get(n) is None]
        if missing:
            raise KeyError(f'MomentumEncoder: online modules {missing} '
                           'missing from the update')
        for name in self.names:
            yield name, online[name], getattr(self, name)

    @torch.no_grad()
    def sync(self, online: Mapping[str, Optional[nn.Module]]) -> None:
        """Copy the online parameters and buffers exactly (after init)."""
        for name, src, dst in self._pairs(online):
            dst.load_state_dict(src.state_dict())

    @torch.no_grad()
    def update(self, online: Mapping[str, Optional[nn.Module]]) -> None:
        """One EMA step ``theta_k <- m theta_k + (1 - m) theta_q``."""
        m = self.momentum
        for name, src, dst in self._pairs(online):
            src_params: Dict[str, torch.Tensor] = dict(src.named_parameters())
            for key, p_k in dst.named_parameters():
                if key not in src_params:
                    raise KeyError(f'MomentumEncoder: parameter {name}.{key} '
                                   'has no online counterpart')
                p_q = src_params[key].detach()
                if m == 0.0:
                    p_k.copy_(p_q)
                else:
                    p_k.mul_(m).add_(p_q.to(p_k.dtype), alpha=1.0 - m)
            if self.copy_buffers:
                src_bufs = dict(src.named_buffers())
                for key, b_k in dst.named_buffers():
                    b_k.copy_(src_bufs[key])

    def extra_repr(self) -> str:
        return (f'names={self.names}, momentum={self.momentum}, '
                f'copy_buffers={self.copy_buffers}')
