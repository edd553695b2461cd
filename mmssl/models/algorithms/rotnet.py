"""RotNet-3D: video rotation prediction."""
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch

from mmssl.models.utils.rotation import (center_crop_square, check_angles,
                                         draw_rotation_labels, rotate_clips)
from mmssl.registry import MODELS
from .base import BaseSSLAlgorithm, SampleList

NON_SQUARE_MODES = ('crop', 'error')


@MODELS.register_module()
class RotNet3D(BaseSSLAlgorithm):
    """Video rotation prediction (3DRotNet).

    Jing et al., "Self-supervised Spatiotemporal Feature Learning via Video
    Rotation Prediction", arXiv:1811.11387. Every frame of a clip is rotated
    by the same angle from ``angles``; :class:`RotNetHead` classifies the
    angle from the pooled clip feature.

    The rotation is applied here, on the normalised batch, not in the data
    pipeline: a quarter-turn is an exact pixel permutation, so it commutes
    with the data preprocessor's per-channel normalisation; any single-clip
    pipeline (MMAction2's ``SampleFrames`` + ``DecordDecode`` ...) can be used
    unchanged, and ``rotation_mode='all'`` (each clip in every rotation) costs
    no extra decoding. Labels come from torch's global generator, seeded by
    MMEngine's ``randomness``.

    Inputs ``(B, V, C, T, H, W)`` (or ``(B, C, T, H, W)``): each of the
    ``B * V`` clips is a training example.

    Args:
        backbone (dict): Backbone config.
        head (dict): :class:`RotNetHead` config; ``in_channels`` may be
            omitted (taken from the backbone) and ``num_classes`` must equal
            ``len(angles)``.
        angles (Sequence[int]): Rotation classes in degrees (anticlockwise,
            multiples of 90). Defaults to ``(0, 90, 180, 270)`` (3DRotNet).
        rotation_mode (str): ``'all'``: every clip in all ``K`` rotations
            (``K * B * V`` examples per batch, as image RotNet); ``'random'``:
            one uniform rotation per clip. Defaults to ``'all'``.
        non_square (str): Frames with ``H != W`` when the angle set has 90
            or 270 degrees: ``'crop'`` (centre-crop to ``min(H, W)``) or
            ``'error'``. Defaults to ``'crop'``.
        neck, data_preprocessor, init_cfg: See :class:`BaseSSLAlgorithm`.
    """

    head_in_channels_from_backbone = True

    def __init__(self,
                 backbone: dict,
                 head: dict,
                 angles: Sequence[int] = (0, 90, 180, 270),
                 rotation_mode: str = 'all',
                 non_square: str = 'crop',
                 neck: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        angles = check_angles(angles)
        if rotation_mode not in ('all', 'random'):
            raise ValueError("rotation_mode must be 'all' or 'random', got "
                             f'{rotation_mode!r}')
        if non_square not in NON_SQUARE_MODES:
            raise ValueError(f'non_square must be one of {NON_SQUARE_MODES}, '
                             f'got {non_square!r}')
        super().__init__(
            backbone=backbone,
            neck=neck,
            head=head,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        self.angles = angles
        if self.head.num_classes != len(self.angles):
            raise ValueError(
                f'head.num_classes ({self.head.num_classes}) must equal '
                f'len(angles) ({len(self.angles)}, angles={self.angles})')
        self.rotation_mode = rotation_mode
        self.non_square = non_square
        self.register_buffer(
            'quarter_turns',
            torch.tensor([a // 90 for a in self.angles]),
            persistent=False)

    def rotate(self, clips: torch.Tensor,
               labels: torch.Tensor) -> torch.Tensor:
        """Rotate clips ``(N, C, T, H, W)`` by ``angles[labels]``."""
        height, width = clips.shape[-2:]
        if height != width and bool((self.quarter_turns % 2).any()):
            if self.non_square == 'error':
                raise ValueError(
                    f'RotNet3D angles {self.angles} need square frames, got '
                    f'{height}x{width}; crop square frames in the pipeline '
                    "or set non_square='crop'")
            clips = center_crop_square(clips)
        return rotate_clips(clips, self.quarter_turns[labels])

    def rotated_batch(
            self, inputs: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Rotated clips ``(N', C, T, S, S)`` and their classes ``(N',)``."""
        clips = inputs.flatten(0, 1) if inputs.dim() == 6 else inputs
        if clips.dim() != 5:
            raise ValueError('expected inputs (B, V, C, T, H, W) or '
                             f'(B, C, T, H, W), got {tuple(inputs.shape)}')
        labels = draw_rotation_labels(
            len(clips),
            len(self.angles),
            self.rotation_mode,
            device=clips.device)
        if self.rotation_mode == 'all':
            clips = clips.repeat(len(self.angles), 1, 1, 1, 1)
        return self.rotate(clips, labels), labels

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """Rotation loss ``loss_rot`` and accuracy ``acc_rot``."""
        clips, labels = self.rotated_batch(inputs)
        return self.head.loss(self.pooled_features(clips), labels)
