"""Head owning the instance, local-local and global-local contrastive losses
of TCLR / Simplified TCLR / STCLR."""
from typing import Dict, Optional

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmssl.registry import MODELS


@MODELS.register_module()
class TemporalContrastiveHead(BaseModule):
    """Contrastive terms of the TCLR family on projected embeddings.

    Altabrawee & Mohd Noor, "STCLR", Neurocomputing, Eq. 2 (``L_IC``) and
    Eq. 3 (``L_SLL``); Dave et al., "TCLR", CVIU 2022 (local-local,
    global-local and, in TCLR's released code, an instance loss between the
    dense local clips). The head holds the loss modules (their
    ``temperature`` and ``loss_weight`` come from config) and returns one
    ``loss_*`` entry per configured term; a term whose loss config is
    ``None`` is disabled. Every term is a per-anchor mean times its
    ``loss_weight``; the paper-setting configs choose the weights that give
    each paper's relative weighting (docs/methods/tclr_family.md,
    "Loss weights").

    Args:
        loss_instance (dict, optional): e.g.
            ``dict(type='InstanceContrastiveLoss', temperature=0.3)``.
        loss_local (dict, optional): e.g.
            ``dict(type='LocalLocalContrastiveLoss', temperature=0.3)``.
        loss_global_local (dict, optional): e.g.
            ``dict(type='GlobalLocalContrastiveLoss', temperature=0.1)``.
        loss_dense_instance (dict, optional): TCLR's dense-clip instance
            term, ``dict(type='PairwiseInstanceContrastiveLoss', ...)``.
        local_loss_name (str): Key of the local-local term. Defaults to
            ``'loss_ll'`` (TCLR); STCLR configs use ``'loss_sll'``.
        init_cfg (dict, optional): Unused (no parameters).
    """

    def __init__(self,
                 loss_instance: Optional[dict] = None,
                 loss_local: Optional[dict] = None,
                 loss_global_local: Optional[dict] = None,
                 loss_dense_instance: Optional[dict] = None,
                 local_loss_name: str = 'loss_ll',
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if not local_loss_name.startswith('loss_'):
            raise ValueError('local_loss_name must start with "loss_" '
                             f'(MMEngine sums only those), got '
                             f'{local_loss_name!r}')

        def build(cfg):
            return MODELS.build(cfg) if cfg is not None else None

        self.loss_instance: Optional[nn.Module] = build(loss_instance)
        self.loss_local: Optional[nn.Module] = build(loss_local)
        self.loss_global_local: Optional[nn.Module] = build(loss_global_local)
        self.loss_dense_instance: Optional[nn.Module] = build(
            loss_dense_instance)
        self.local_loss_name = local_loss_name

    def loss(self,
             instance: Optional[tuple] = None,
             local: Optional[tuple] = None,
             global_local: Optional[list] = None,
             dense: Optional[torch.Tensor] = None
             ) -> Dict[str, torch.Tensor]:
        """Compute the configured terms.

        Args:
            instance (tuple[Tensor, Tensor], optional): ``(G, G')``, each
                ``(N, d)``: the instance pair of every video.
            local (tuple[Tensor, Tensor], optional): ``(L, L')``, each
                ``(N, P, d)``: local clips and their augmented twins.
            global_local (list[tuple[Tensor, Tensor]], optional): pairs of
                ``(global timesteps (N, P, d), local clips (N, P, d))``; the
                loss is averaged over the pairs (TCLR pairs every global view
                with every local view).
            dense (Tensor, optional): ``(N, M, d)`` the local clips and
                their twins, for ``loss_dense_instance``.

        Returns:
            dict[str, Tensor]: ``loss_ic``, ``<local_loss_name>``,
            ``loss_gl``, ``loss_ic_dense`` for the enabled terms.
        """
        losses = {}
        dense_args = None if dense is None else (dense, )
        terms = (('loss_ic', self.loss_instance, instance),
                 (self.local_loss_name, self.loss_local, local),
                 ('loss_ic_dense', self.loss_dense_instance, dense_args))
        for name, module, args in terms:
            if module is not None:
                if args is None:
                    raise ValueError(f'{name} is configured but its inputs '
                                     'were not given')
                losses[name] = module(*args)
        if self.loss_global_local is not None:
            if not global_local:
                raise ValueError('loss_gl is configured but no (global, '
                                 'local) pairs were given')
            terms = [self.loss_global_local(g, l) for g, l in global_local]
            losses['loss_gl'] = torch.stack(terms).mean()
        return losses
