"""Base of algorithms with a momentum (key) encoder and a queue of keys."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn.functional as F
from mmengine.logging import print_log
from mmengine.optim import OptimWrapper

from mmssl.models.utils.batch_shuffle import (batch_shuffle_ddp,
                                              batch_unshuffle_ddp)
from mmssl.models.utils.feature_channels import fill_in_channels
from mmssl.models.utils.momentum_encoder import MomentumEncoder
from mmssl.models.utils.queue import FeatureQueue
from mmssl.registry import MODELS
from .base import BaseSSLAlgorithm

Embedding = Union[torch.Tensor, Dict[str, torch.Tensor]]


def _map(fn, emb: Embedding) -> Embedding:
    return {k: fn(v) for k, v in emb.items()} if isinstance(emb, dict) \
        else fn(emb)


class BaseMomentumAlgorithm(BaseSSLAlgorithm):
    """Online encoder + momentum encoder + queue (MoCo's machinery).

    He et al., "Momentum Contrast for Unsupervised Visual Representation
    Learning", CVPR 2020: keys come from an exponential moving average of
    the online encoder (backbone + neck, :class:`MomentumEncoder`), with
    batch-shuffled BN across ranks (:func:`batch_shuffle_ddp`), and are
    stored in a FIFO queue (:class:`FeatureQueue`) shared by all ranks.

    **Once per optimizer step.** :meth:`train_step` runs MMEngine's step
    and then :meth:`after_train_step`: if the optimizer wrapper stepped
    (``optim_wrapper.should_update()``, i.e. the end of a
    gradient-accumulation window) the momentum encoder takes one EMA step
    and the keys staged by the window's forwards are enqueued (all-gathered
    across ranks). Under DDP, MMEngine's wrapper does not call the model's
    ``train_step``; use ``model_wrapper_cfg=dict(
    type='mmssl.models.utils.SSLDistributedDataParallel')``, which calls
    :meth:`after_train_step` after DDP's step (a forgotten wrapper makes the
    queue raise after ``max_staged`` forwards instead of training silently
    with a frozen key encoder).

    The momentum encoder and queue are a sub-module and buffers: saved in
    checkpoints, restored on resume, and ignored by MMAction2 fine-tuning
    (which loads ``backbone.*``). :meth:`init_weights` copies the online
    weights into the momentum encoder after initialisation, and loading a
    state dict that has online weights but no ``momentum_encoder.*`` keys
    (``load_from`` another method's checkpoint) copies the loaded online
    weights into the momentum encoder too, so the key encoder starts from
    the same weights as the online one (:meth:`_fill_momentum_keys`).

    Args:
        backbone (dict): Backbone config.
        neck (dict): Projection neck config; ``in_channels=None`` follows
            the backbone.
        head (dict): Head config (owns the losses).
        momentum (float): EMA momentum ``m``. Defaults to 0.999.
        queue_size (int, optional): Queue length ``K``; ``None`` for no
            queue.
        queue_dim (int, optional): Key size; defaults to the neck's
            ``out_channels`` (``queue_neck``'s for ``ParallelNecks``).
        queue_neck (str, optional): ``ParallelNecks`` branch whose keys the
            queue holds.
        shuffle_bn (bool): Batch-shuffle the keys across ranks. Defaults to
            True (no-op on one process).
        max_staged (int): Forwards without a post-step update before the
            queue raises. Defaults to 64.
        data_preprocessor (dict, optional): See :class:`BaseSSLAlgorithm`.
        init_cfg (dict, optional): Weight initialisation.
    """

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 head: dict,
                 momentum: float = 0.999,
                 queue_size: Optional[int] = None,
                 queue_dim: Optional[int] = None,
                 queue_neck: Optional[str] = None,
                 shuffle_bn: bool = True,
                 max_staged: int = 64,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(backbone, None, head, data_preprocessor, init_cfg)
        if neck is None:
            raise ValueError(f'{type(self).__name__} needs a projection neck')
        self.neck = MODELS.build(fill_in_channels(neck, self.backbone))
        self.momentum_encoder = MomentumEncoder(
            self.online_modules(), momentum=momentum)
        self.shuffle_bn = shuffle_bn
        self.queue: Optional[FeatureQueue] = None
        if queue_size is not None:
            if queue_dim is None:
                out = self.neck.necks[queue_neck] if queue_neck else self.neck
                queue_dim = out.out_channels
            self.queue = FeatureQueue(
                queue_size, queue_dim, max_staged=max_staged)
        self.register_load_state_dict_pre_hook(
            BaseMomentumAlgorithm._fill_momentum_keys)

    def _fill_momentum_keys(self, state_dict: dict, prefix: str,
                            *args) -> None:
        """Load-state-dict pre-hook: give the momentum encoder the loaded
        online weights when the state dict has none of its own.

        A checkpoint of this algorithm (``--resume``) carries
        ``momentum_encoder.*`` and is loaded as it is. A checkpoint without
        them (another method's, or a bare backbone) would otherwise leave
        the key encoder at its initialisation while the online encoder takes
        the loaded weights. For each online module (``backbone``, ``neck``)
        present in the state dict, its entries are copied to
        ``momentum_encoder.<module>.*``.
        """
        own = prefix + 'momentum_encoder.'
        if any(key.startswith(own) for key in state_dict):
            return
        filled = []
        for name in self.momentum_encoder.names:
            src = f'{prefix}{name}.'
            keys = [key for key in state_dict if key.startswith(src)]
            for key in keys:
                state_dict[own + key[len(prefix):]] = state_dict[key]
            if keys:
                filled.append(name)
        if filled:
            print_log(
                f'{type(self).__name__}: the loaded state dict has no '
                f'momentum-encoder weights; initialised the momentum '
                f'encoder\'s {", ".join(filled)} from the loaded online '
                'weights', logger='current')

    def online_modules(self) -> dict:
        """The modules the momentum encoder copies: backbone and neck."""
        return dict(backbone=self.backbone, neck=self.neck)

    def init_weights(self) -> None:
        """Initialise, then copy the online weights to the key encoder."""
        super().init_weights()
        self.momentum_encoder.sync(self.online_modules())

    def embed(self, clips: torch.Tensor) -> Embedding:
        """Online embeddings of ``(N, C, T, H, W)`` clips (neck output)."""
        return self.neck(self.extract_feat(clips))

    @torch.no_grad()
    def embed_keys(self, clips: torch.Tensor) -> Embedding:
        """Momentum-encoder embeddings, batch-shuffled BN across ranks.

        Args:
            clips (Tensor): ``(N, C, T, H, W)``, the same ``N`` on every rank.

        Returns:
            Tensor | dict: Neck output(s) for the clips in input order.
        """
        idx_unshuffle = None
        if self.shuffle_bn:
            clips, idx_unshuffle = batch_shuffle_ddp(clips)
        feats = self.momentum_encoder.backbone(clips)
        if isinstance(feats, (tuple, list)):
            feats = feats[-1]
        keys = self.momentum_encoder.neck(feats)
        return _map(lambda k: batch_unshuffle_ddp(k, idx_unshuffle), keys)

    def stage_keys(self, keys: torch.Tensor) -> None:
        """Queue L2-normalised keys after the optimizer step."""
        if self.queue is None:
            raise RuntimeError(f'{type(self).__name__} has no queue '
                               '(queue_size=None)')
        self.queue.stage(F.normalize(keys.detach().float(), dim=1))

    def train_step(self, data: Union[dict, tuple, list],
                   optim_wrapper: OptimWrapper) -> Dict[str, torch.Tensor]:
        """MMEngine's training step, then :meth:`after_train_step`."""
        log_vars = super().train_step(data, optim_wrapper)
        self.after_train_step(optim_wrapper)
        return log_vars

    def after_train_step(self, optim_wrapper: OptimWrapper) -> None:
        """Momentum update and enqueue if the optimizer just stepped."""
        should_update = getattr(optim_wrapper, 'should_update', None)
        if should_update is None or should_update():
            self.momentum_update()

    @torch.no_grad()
    def momentum_update(self) -> None:
        """One EMA step of the key encoder; enqueue the staged keys."""
        self.momentum_encoder.update(self.online_modules())
        if self.queue is not None:
            self.queue.flush()
