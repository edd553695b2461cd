"""CSVR: collaboratively self-supervised video representation learning."""
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn.functional as F
from torch import Tensor

from mmssl.registry import MODELS
from .base import BaseSSLAlgorithm, SampleList
from .csvr_stages import (BRANCH_PREFIXES, STAGE_FROZEN, STAGE_LOSSES,
                          STAGE_MODULES, load_branch_weights)
from .csvr_train_step import CSVRTrainStepMixin

VIDEO_TARGETS = ('reconstruct', 'predict')


@MODELS.register_module()
class CSVR(CSVRTrainStepMixin, BaseSSLAlgorithm):
    """Zhang, Wan, Hu, Lin, Wu, Shan, "Collaboratively Self-supervised Video
    Representation Learning for Action Recognition", IEEE TIFS 2025.

    Branches (Fig. 1): generative pose prediction (``pose_generator``
    ``G_p``, ``pose_discriminator`` ``D_p``; Eq. 1), discriminative context
    matching (V-Network ``backbone`` + ``video_neck`` ``g^V``; I-Network
    ``iframe_backbone`` + ``iframe_neck`` ``g^I``; Eq. 2) and video
    generation (``dynamic_neck`` aligns ``f_d``, ``integration`` fuses
    ``f_d`` and ``f_s``, ``video_reconstructor`` / ``video_predictor`` with
    their discriminators; Eq. 6-8). Joint objective (Eq. 9)
    ``L = sigma_p L_pose + sigma_c L_context + L_video``.

    Inputs ``(B, 2, C, T, H, W)``: view 0 the current clip, view 1 the
    future clip. Data-sample fields: ``pose_in`` ``(T, J, 2)``,
    ``pose_future`` ``(T', J, 2)``, ``pose_valid`` ``(T + T',)``,
    ``iframes`` ``(K, C, H, W)`` (raw pixels; normalised here with the data
    preprocessor's mean/std), ``iframe_valid`` ``(K,)``.

    ``f_s`` is ``g^V``'s output (III-C: "the video feature x_i^* ... will
    serve as the static context feature f_s"); the V-Network backbone lives
    under ``backbone.`` so MMAction2's ``Recognizer3D`` loads it.

    Args:
        backbone, video_neck, iframe_backbone, iframe_neck, pose_generator,
        pose_discriminator, dynamic_neck, integration, video_generator,
        video_discriminator (dict): Module configs (``video_generator`` /
            ``video_discriminator`` are built twice: reconstructor and
            predictor). Modules the ``stage`` does not use are not built.
        loss_context (dict): :class:`MIInfoNCELoss` config.
        stage (str): ``'pose'``, ``'context'``, ``'video'`` or ``'joint'``
            (see :mod:`.csvr_stages`).
        stage_checkpoints (dict, optional): ``{branch: path}`` loaded by
            :meth:`init_weights` (only that branch's keys, strictly).
        sigma_p, sigma_c (float): Eq. 9 weights. Defaults to 0.75.
        video_targets (Sequence[str]): ``('reconstruct', 'predict')`` (Table
            V: one or both); ``L_video`` is their mean (Eq. 8).
        gan_update (str): ``'alternating'`` (discriminators then
            generators, two backward passes) or ``'one_stage'`` (OSGAN).
        adversarial_type (str): ``'vanilla'`` or ``'wgan'``.
        adversarial_weight (float): Generator adversarial term weight.
        gp_weight (float): WGAN-GP weight of the pose discriminator;
            Eq. 1 adds the penalty with weight 1. Defaults to 1.
        video_gp_weight (float): The same for the video discriminators
            (Eq. 6-7 have none). Defaults to 0.
        pose_feature_layer (int): Encoder layer of ``G_p`` giving ``f_d``
            (Table III). Defaults to -1 (last).
    """

    def __init__(self,
                 backbone: dict,
                 video_neck: dict,
                 iframe_backbone: dict,
                 iframe_neck: dict,
                 pose_generator: dict,
                 pose_discriminator: dict,
                 dynamic_neck: dict,
                 integration: dict,
                 video_generator: dict,
                 video_discriminator: dict,
                 loss_context: dict = dict(type='MIInfoNCELoss'),
                 stage: str = 'joint',
                 stage_checkpoints: Optional[Dict[str, str]] = None,
                 sigma_p: float = 0.75,
                 sigma_c: float = 0.75,
                 video_targets: Sequence[str] = VIDEO_TARGETS,
                 gan_update: str = 'alternating',
                 adversarial_type: str = 'vanilla',
                 adversarial_weight: float = 1.0,
                 gp_weight: float = 1.0,
                 video_gp_weight: float = 0.0,
                 pose_feature_layer: int = -1,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        if stage not in STAGE_MODULES:
            raise ValueError(f'CSVR: stage {stage!r} is not one of '
                             f'{tuple(STAGE_MODULES)}')
        if not video_targets or set(video_targets) - set(VIDEO_TARGETS):
            raise ValueError(f'CSVR: video_targets {video_targets!r} must be '
                             f'a non-empty subset of {VIDEO_TARGETS}')
        if gan_update not in ('alternating', 'one_stage'):
            raise ValueError(f'CSVR: gan_update {gan_update!r} is not '
                             "'alternating' or 'one_stage'")
        unknown = set(stage_checkpoints or {}) - set(BRANCH_PREFIXES)
        if unknown:
            raise ValueError(f'CSVR: stage_checkpoints keys {unknown} are '
                             f'not branches {tuple(BRANCH_PREFIXES)}')
        super().__init__(backbone, data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.stage = stage
        self.losses_used = STAGE_LOSSES[stage]
        self.stage_checkpoints = dict(stage_checkpoints or {})
        self.sigma_p, self.sigma_c = sigma_p, sigma_c
        self.video_targets = tuple(video_targets)
        self.gan_update = gan_update
        self.adversarial_type = adversarial_type
        self.adversarial_weight = adversarial_weight
        self.gp_weight, self.video_gp_weight = gp_weight, video_gp_weight
        self.pose_feature_layer = pose_feature_layer
        cfgs = dict(
            video_neck=video_neck, iframe_backbone=iframe_backbone,
            iframe_neck=iframe_neck, pose_generator=pose_generator,
            pose_discriminator=pose_discriminator,
            dynamic_neck=dynamic_neck, integration=integration,
            video_reconstructor=video_generator,
            video_predictor=video_generator,
            reconstructor_discriminator=video_discriminator,
            predictor_discriminator=video_discriminator)
        wanted = set(STAGE_MODULES[stage])
        if 'reconstruct' not in self.video_targets:
            wanted -= {'video_reconstructor', 'reconstructor_discriminator'}
        if 'predict' not in self.video_targets:
            wanted -= {'video_predictor', 'predictor_discriminator'}
        for name, cfg in cfgs.items():
            setattr(self, name, MODELS.build(cfg) if name in wanted else None)
        if 'backbone' not in wanted:
            self.backbone = None  # the pose stage trains no V-Network
        self.frozen = STAGE_FROZEN.get(stage, ())
        for name in self.frozen:
            getattr(self, name).requires_grad_(False).eval()
        self.loss_context = (MODELS.build(loss_context)
                             if 'context' in self.losses_used else None)

    def init_weights(self) -> None:
        """Initialise, then load the ``stage_checkpoints`` branches."""
        super().init_weights()
        for branch, path in self.stage_checkpoints.items():
            load_branch_weights(self, path, BRANCH_PREFIXES[branch])

    def train(self, mode: bool = True):
        """Frozen stage modules stay in eval mode (BN statistics)."""
        super().train(mode)
        for name in self.frozen:
            getattr(self, name).eval()
        return self

    def extract_feat(self, inputs: Tensor) -> Tensor:
        """V-Network feature map (see :class:`BaseSSLAlgorithm`)."""
        if self.backbone is None:
            raise RuntimeError('CSVR stage "pose" has no V-Network; extract '
                               'features with a context/video/joint model')
        return super().extract_feat(inputs)

    # ---------------------------------------------------------------- data
    def unpack(self, inputs: Tensor, data_samples: SampleList) -> dict:
        """Batch tensors of the CSVR fields (see the class docstring)."""
        if inputs.dim() != 6 or inputs.shape[1] != 2:
            raise ValueError('CSVR expects inputs (B, 2, C, T, H, W) '
                             '[current clip, future clip], got '
                             f'{tuple(inputs.shape)}')
        batch = dict(current=inputs[:, 0], future=inputs[:, 1])
        fields = ['pose_in', 'pose_future', 'pose_valid']
        if 'context' in self.losses_used:
            fields += ['iframes', 'iframe_valid']
        for name in fields:
            if not all(hasattr(s, name) for s in data_samples):
                raise KeyError(f'CSVR: data samples lack {name!r}; use the '
                               'articulated SynthMotion pipeline / '
                               'LoadPoseAnnotation + CSVR clip sampling '
                               '(docs/methods/csvr.md)')
            batch[name] = torch.stack(
                [getattr(s, name) for s in data_samples]).to(inputs.device)
        if 'iframes' in batch:
            batch['iframes'] = self.normalize_frames(batch['iframes'])
            if all(hasattr(s, 'iframe_is_fallback') for s in data_samples):
                # clips without a real I-frame (the pipeline's fallback
                # frame is their one positive); logged as a share
                batch['iframe_is_fallback'] = torch.stack([
                    torch.as_tensor(s.iframe_is_fallback)
                    for s in data_samples
                ]).float()
        return batch

    def normalize_frames(self, frames: Tensor) -> Tensor:
        """``(..., C, H, W)`` raw frames -> the clips' normalisation."""
        frames = frames.float()
        pre = self.data_preprocessor
        if getattr(pre, '_enable_normalize', False):
            mean = pre.mean.reshape(-1, 1, 1).to(frames.device)
            std = pre.std.reshape(-1, 1, 1).to(frames.device)
            frames = (frames - mean) / std
        return frames

    # ------------------------------------------------------------ branches
    def pose_forward(self, batch: dict) -> dict:
        """``P_gen`` and ``G_p``'s encoder feature for ``f_d``."""
        with torch.set_grad_enabled(torch.is_grad_enabled()
                                    and 'pose_generator' not in self.frozen):
            p_gen, feats = self.pose_generator(batch['pose_in'])
        return dict(p_gen=p_gen, enc_feat=feats[self.pose_feature_layer])

    def pose_reconstruction_loss(self, p_gen: Tensor, batch: dict) -> Tensor:
        """Eq. 1's ``1/T' sum_t ||p_t - p'_t||^2`` over the valid future
        frames (``pose_valid``), averaged over the batch."""
        t = batch['pose_in'].shape[1]
        valid = batch['pose_valid'][:, t:t + p_gen.shape[1]].float()
        per_frame = (p_gen - batch['pose_future']).pow(2).flatten(2).sum(2)
        return (per_frame * valid).sum() / valid.sum().clamp(min=1.0)

    def context_forward(self, batch: dict) -> dict:
        """``f_s`` (``(B, C)``), valid I-frame embeddings ``(M, C)`` and
        their owners ``(M,)``."""
        f_s = self.video_neck(self.extract_feat(batch['current']))
        out = dict(f_s=f_s)
        if 'iframes' in batch:
            b, k = batch['iframes'].shape[:2]
            valid = batch['iframe_valid'].reshape(-1) > 0
            owner = torch.arange(b, device=f_s.device).repeat_interleave(k)
            frames = batch['iframes'].flatten(0, 1)[valid]
            z = self.iframe_neck(self.iframe_backbone(frames))
            out.update(iframe_feats=z, owner=owner[valid])
        return out

    def context_accuracy(self, f_s: Tensor, z: Tensor,
                         owner: Tensor) -> Tensor:
        """Share of clips whose most similar I-frame is their own (the
        "context matching accuracy" of Table II)."""
        sim = F.normalize(f_s.detach(), dim=1) @ F.normalize(
            z.detach(), dim=1).t()
        return (owner[sim.argmax(1)] == torch.arange(
            len(f_s), device=f_s.device)).float().mean()

    def video_condition(self, f_s: Tensor, enc_feat: Tensor) -> Tensor:
        """``f_i`` from ``f_s`` and ``G_p``'s encoder feature."""
        return self.integration(f_s, self.dynamic_neck(enc_feat))

    def video_targets_of(self, batch: dict, size: Sequence[int]) -> dict:
        """Ground-truth clips resized to the generators' ``(T, H, W)``."""
        out = {}
        for target, key in (('reconstruct', 'current'),
                            ('predict', 'future')):
            if target in self.video_targets:
                clip = batch[key]
                if tuple(clip.shape[2:]) != tuple(size):
                    clip = F.interpolate(clip, size=tuple(size),
                                         mode='trilinear',
                                         align_corners=False)
                out[target] = clip
        return out

    def generators_of(self, target: str):
        """(generator, discriminator) of a video target."""
        if target == 'reconstruct':
            return self.video_reconstructor, self.reconstructor_discriminator
        return self.video_predictor, self.predictor_discriminator

    def loss(self, inputs: Tensor,
             data_samples: SampleList) -> Dict[str, Tensor]:
        """Not used for training (:meth:`train_step` runs the GAN updates);
        the generator-side losses of one batch, for inspection."""
        with torch.no_grad():
            return self.forward_losses(self.unpack(inputs, data_samples))[1]
