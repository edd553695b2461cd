"""Simplified TCLR: instance + sparse local-local contrastive losses."""
from typing import Dict, List, Optional, Union

import torch

from mmssl.registry import MODELS
from .base import BaseSSLAlgorithm, SampleList


@MODELS.register_module()
class SimplifiedTCLR(BaseSSLAlgorithm):
    """Simplified TCLR: ``L = L_IC + L_SLL``.

    Altabrawee & Mohd Noor, "STCLR: Sparse Temporal Contrastive Learning for
    Video Representation", Neurocomputing, Sec. 3.1-3.2 and 4.2.2: TCLR
    without the global-local loss, its dense local clips replaced by ``n``
    sparse local clips at different skip rates and random locations.

    Inputs ``(B, V, C, T, H, W)`` in the layout of
    :class:`SparseLocalSampleClips`:

    - ``instance_source='local'``: ``[L_0..L_{n-1}, L'_0..L'_{n-1}]``
      (``V = 2n``); the instance pair is ``(L_0, L_1)`` (two local clips at
      different, per-sample random rates);
    - ``instance_source='separate'``: ``[I_0, I_1, L_0..L_{n-1},
      L'_0..L'_{n-1}]`` (``V = 2n + 2``); the pair is ``(I_0, I_1)``.

    Each clip goes through the shared backbone once; embeddings are 3D
    adaptive average pooled last-stage features (Layer 4 of R3D-18, Sec. 3.2)
    projected by the ``neck``.

    Args:
        backbone (dict): Backbone config.
        neck (dict): Projection MLP (:class:`ProjectionMLP`).
        head (dict): :class:`TemporalContrastiveHead` with ``loss_instance``
            and ``loss_local``.
        num_local_clips (int): ``n``. Defaults to 5 (paper).
        instance_source (str): ``'local'`` or ``'separate'`` (must match the
            sampler).
        data_preprocessor (dict, optional): See :class:`BaseSSLAlgorithm`.
        init_cfg (dict, optional): Weight initialisation.
    """

    def __init__(self,
                 backbone: dict,
                 neck: dict,
                 head: dict,
                 num_local_clips: int = 5,
                 instance_source: str = 'local',
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        super().__init__(backbone, neck, head, data_preprocessor, init_cfg)
        if instance_source not in ('local', 'separate'):
            raise ValueError(f"instance_source must be 'local' or 'separate',"
                             f' got {instance_source!r}')
        if num_local_clips < 2:
            raise ValueError(f'num_local_clips must be >= 2, got '
                             f'{num_local_clips}')
        self.num_local_clips = num_local_clips
        self.instance_source = instance_source
        self.local_start = 0 if instance_source == 'local' else 2
        self.num_contrastive_views = 2 * num_local_clips + self.local_start

    @property
    def num_views(self) -> int:
        """Clips per sample expected by :meth:`loss`."""
        return self.num_contrastive_views

    def check_views(self, inputs: torch.Tensor, sampler: str) -> None:
        """Raise a ``ValueError`` naming the layout if ``V`` is wrong."""
        if inputs.dim() != 6 or inputs.shape[1] != self.num_views:
            raise ValueError(
                f'{type(self).__name__}(num_local_clips='
                f'{self.num_local_clips}, instance_source='
                f'{self.instance_source!r}) expects (B, {self.num_views}, C, '
                f'T, H, W) inputs from {sampler}, got {tuple(inputs.shape)}')

    def contrastive_loss(self,
                         pooled: torch.Tensor) -> Dict[str, torch.Tensor]:
        """``loss_ic`` and the local-local term from pooled features.

        Args:
            pooled (torch.Tensor): ``(B, V_c, D)`` features of the sparse
                layout's clips (``V_c = num_contrastive_views``).
        """
        emb = self.neck(pooled)
        n, s = self.num_local_clips, self.local_start
        local, twin = emb[:, s:s + n], emb[:, s + n:s + 2 * n]
        return self.head.loss(
            instance=(emb[:, 0], emb[:, 1]), local=(local, twin))

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """``loss_ic`` and ``loss_sll`` (the head's ``local_loss_name``)."""
        self.check_views(inputs, 'SparseLocalSampleClips')
        return self.contrastive_loss(self.pooled_features(inputs))
