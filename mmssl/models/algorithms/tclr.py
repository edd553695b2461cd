"""TCLR: temporal contrastive learning (instance + local-local +
global-local)."""
from typing import Dict, List, Optional, Union

import torch
import torch.nn.functional as F

from mmssl.registry import MODELS
from .base import BaseSSLAlgorithm, SampleList


@MODELS.register_module()
class TCLR(BaseSSLAlgorithm):
    """Temporal Contrastive Learning for Video Representation.

    Dave, Gupta, Rizve, Shah, "TCLR", CVIU 219 (2022), in the form used as
    the baseline of Altabrawee & Mohd Noor, "STCLR", Neurocomputing (Sec. 2,
    4.2.4): ``L = L_IC + L_LL + L_GL`` (weights are the losses'
    ``loss_weight``), plus, if the head configures it, the instance loss
    between the dense local clips of TCLR's released training loop
    (``loss_ic_dense``, :class:`PairwiseInstanceContrastiveLoss`).

    Inputs ``(B, V, C, T, H, W)`` in the layout of :class:`TCLRSampleClips`
    (``P = num_local_clips``):

    - ``instance_mode='separate'``: ``[I_0, I_1, L_0..L_{P-1},
      L'_0..L'_{P-1}, G]`` (``V = 2P + 3``);
    - ``instance_mode='global'``: ``[G, G', L_0..L_{P-1}, L'_0..L'_{P-1}]``
      (``V = 2P + 2``).

    Every clip goes through the shared backbone once. Clip embeddings: 3D
    adaptive average pooling of the last stage, then the projection
    ``neck``. ``L_IC`` on ``(clip 0, clip 1)``, ``L_LL`` on
    ``(L, L')``. ``L_GL``: the global clip's last feature map is pooled
    over space only, its time axis average-pooled to ``P`` steps if it has
    more (adaptive pooling; exact group means when ``T'`` is a multiple of
    ``P``), each step projected by the same neck and matched to the local
    clips; the term is averaged over every (global view, local view) pair,
    i.e. ``(G, L)`` and ``(G, L')`` (and ``G'`` in ``'global'`` mode), as
    TCLR's training loop does.

    BatchNorm: by default every clip of the batch goes through the backbone
    (and every embedding through the projection head) in one call, so the
    BatchNorm statistics of a step mix all clip types. TCLR's released loop
    calls the model once per clip type (global clip, its twin, each local
    clip, each twin; the projection head once per global timestep), which
    gives every clip type its own statistics; ``forward_per_view=True`` does
    the same (same FLOPs, ``V`` smaller backbone calls).

    Args:
        backbone (dict): Backbone config; its last feature map needs
            ``T' >= P`` for the global clip.
        neck (dict): Projection MLP (:class:`ProjectionMLP`).
        head (dict): :class:`TemporalContrastiveHead` with
            ``loss_instance``, ``loss_local`` and ``loss_global_local``.
        num_local_clips (int): ``P``. Defaults to 4.
        instance_mode (str): ``'separate'`` or ``'global'`` (must match the
            sampler).
        forward_per_view (bool): One backbone / projection-head call per
            clip type (TCLR's BatchNorm statistics). Defaults to False.
        data_preprocessor (dict, optional): See :class:`BaseSSLAlgorithm`.
        init_cfg (dict, optional): Weight initialisation.
    """

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 head: dict,
                 num_local_clips: int = 4,
                 instance_mode: str = 'separate',
                 forward_per_view: bool = False,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(backbone, neck, head, data_preprocessor, init_cfg)
        if instance_mode not in ('separate', 'global'):
            raise ValueError(f"instance_mode must be 'separate' or 'global', "
                             f'got {instance_mode!r}')
        self.num_local_clips = num_local_clips
        self.instance_mode = instance_mode
        self.forward_per_view = forward_per_view
        p = num_local_clips
        if instance_mode == 'separate':
            self.num_views, self.global_index = 2 * p + 3, [2 * p + 2]
        else:
            self.num_views, self.global_index = 2 * p + 2, [0, 1]

    def global_tokens(self, feat_map: torch.Tensor) -> torch.Tensor:
        """Per-timestep embeddings of global clips.

        Args:
            feat_map (torch.Tensor): ``(N, C', T', H', W')``.

        Returns:
            torch.Tensor: ``(N, P, d)``.
        """
        p, t = self.num_local_clips, feat_map.shape[2]
        if t < p:
            raise ValueError(
                f'the global clip feature map has {t} timesteps but the '
                f'global-local loss needs num_local_clips={p}; use a longer '
                'clip_len or less temporal downsampling in the backbone')
        tokens = F.adaptive_avg_pool3d(feat_map, (p, 1, 1)).flatten(2)
        return self.project(tokens.transpose(1, 2))

    def project(self, feats: torch.Tensor) -> torch.Tensor:
        """Projection head on ``(N, K, C)`` features -> ``(N, K, d)``; one
        call per ``k`` when ``forward_per_view``."""
        if not self.forward_per_view:
            return self.neck(feats)
        return torch.stack(
            [self.neck(feats[:, k]) for k in range(feats.shape[1])], dim=1)

    def feature_maps(self, inputs: torch.Tensor) -> torch.Tensor:
        """Backbone feature maps ``(B, V, C', T', H', W')`` of all clips;
        one backbone call per view when ``forward_per_view``."""
        if self.forward_per_view:
            return torch.stack([
                self.extract_feat(inputs[:, v])
                for v in range(inputs.shape[1])
            ], dim=1)
        feat_map = self.extract_feat(inputs.flatten(0, 1))
        return feat_map.view(*inputs.shape[:2], *feat_map.shape[1:])

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """``loss_ic``, ``loss_ll``, ``loss_gl`` (and ``loss_ic_dense``)."""
        if inputs.dim() != 6 or inputs.shape[1] != self.num_views:
            raise ValueError(
                f'TCLR(num_local_clips={self.num_local_clips}, instance_mode='
                f'{self.instance_mode!r}) expects (B, {self.num_views}, C, T, '
                f'H, W) inputs from TCLRSampleClips, got '
                f'{tuple(inputs.shape)}')
        feat_map = self.feature_maps(inputs)
        emb = self.project(feat_map.mean(dim=(3, 4, 5)))  # (B, V, d)
        p = self.num_local_clips
        local, twin = emb[:, 2:2 + p], emb[:, 2 + p:2 + 2 * p]
        pairs = []
        for g in self.global_index:
            tokens = self.global_tokens(feat_map[:, g])
            pairs += [(tokens, local), (tokens, twin)]
        return self.head.loss(
            instance=(emb[:, 0], emb[:, 1]),
            local=(local, twin),
            global_local=pairs,
            dense=emb[:, 2:2 + 2 * p])
