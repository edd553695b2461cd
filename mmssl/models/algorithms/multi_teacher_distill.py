"""Multi-teacher knowledge distillation of a video classifier (Kumar et al.,
"A Large-Scale Analysis on Contextual Self-Supervised Video Representation
Learning", Sec. 4.5, supp. D.6, Tables 5, 13-15).

The student is an MMAction2 ``Recognizer3D`` (backbone + ``cls_head``)
trained on labelled clips with :class:`~mmssl.models.losses.
MultiTeacherKDLoss`: CE on the labels plus lambda_t T^2 KL per teacher.
Teachers are any number of fine-tuned classifiers given as (config,
checkpoint) pairs, of any architecture and input pipeline; they are frozen
(``requires_grad=False``), always in eval mode and run under
``torch.no_grad``. They are kept out of the student's ``state_dict`` (and
out of the optimizer and DDP), so a checkpoint of this model holds the
student only and loads strictly into ``Recognizer3D``.

Inputs of a teacher: the student's data preprocessor has normalised the
batch; for each teacher the clip is mapped back to pixels (x * std + mean
of the student's preprocessor), adapted (``input=dict(num_frames=...,
size=(H, W))``: temporal resampling by nearest indices spread evenly over
the clip, then trilinear resizing of every frame) and passed through the
teacher's own data preprocessor (its normalisation, or e.g. residual
frames). Clip cropping/sampling decisions of the student's pipeline are
shared: a teacher sees the same content as the student, at its own input
size, length and representation.
"""
import os.path as osp
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F
from mmaction.models.recognizers import Recognizer3D
from mmengine.config import Config
from torch import Tensor, nn

from mmssl.registry import MODELS

__all__ = ['MultiTeacherDistiller', 'adapt_clip']

_REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))


def _config_path(path: str) -> str:
    """A teacher config path as given, or relative to the repository."""
    if osp.isfile(path) or osp.isabs(path):
        return path
    in_repo = osp.join(_REPO, path)
    return in_repo if osp.isfile(in_repo) else path


def adapt_clip(clip: Tensor, num_frames: Optional[int] = None,
               size: Optional[Sequence[int]] = None) -> Tensor:
    """Resample a batch of clips in time and space.

    Args:
        clip (Tensor): Pixels, shape (B, C, T, H, W).
        num_frames (int, optional): Output length T'; frames at
            ``round(linspace(0, T - 1, T'))``. None keeps T.
        size (Sequence[int], optional): Output (H', W'), trilinear. None
            keeps (H, W).

    Returns:
        Tensor: Shape (B, C, T', H', W').
    """
    if num_frames is not None and num_frames != clip.shape[2]:
        index = torch.linspace(0, clip.shape[2] - 1,
                               int(num_frames)).round().long()
        clip = clip[:, :, index.to(clip.device)]
    if size is not None and tuple(size) != tuple(clip.shape[-2:]):
        clip = F.interpolate(clip, size=(clip.shape[2], *size),
                             mode='trilinear', align_corners=False)
    return clip


@MODELS.register_module()
class MultiTeacherDistiller(Recognizer3D):
    """A ``Recognizer3D`` student distilled from frozen teachers.

    Args:
        backbone (dict): Student backbone (as ``Recognizer3D``).
        cls_head (dict): Student head.
        teachers (list[dict]): One dict per teacher: ``config`` (path of a
            config whose ``model`` is the teacher), ``checkpoint`` (its
            fine-tuned weights, loaded in :meth:`init_weights`, strictly for
            ``backbone.`` and ``cls_head.``), ``weight`` (lambda_t,
            default 1.0) and optional ``input=dict(num_frames, size)``.
        distill (dict): ``temperature`` (4.0), ``ce_weight`` (1.0),
            ``direction`` (``'forward'`` = Hinton KL(teacher || student));
            see :class:`~mmssl.models.losses.MultiTeacherKDLoss`.
        **kwargs: ``neck``, ``train_cfg``, ``test_cfg``,
            ``data_preprocessor`` as ``Recognizer3D``.
    """

    def __init__(self, backbone: dict, cls_head: dict, teachers: List[dict],
                 distill: Optional[dict] = None, **kwargs) -> None:
        super().__init__(backbone=backbone, cls_head=cls_head, **kwargs)
        if not teachers:
            raise ValueError('MultiTeacherDistiller needs at least one '
                             'teacher (config, checkpoint)')
        self.teacher_specs = []
        built = []
        for i, spec in enumerate(teachers):
            spec = dict(spec)
            if 'config' not in spec:
                raise KeyError(f'teachers[{i}] needs a config path')
            spec.setdefault('checkpoint', None)
            spec.setdefault('weight', 1.0)
            spec.setdefault('input', {})
            model_cfg = Config.fromfile(_config_path(spec['config'])).model
            built.append(MODELS.build(model_cfg))
            self.teacher_specs.append(spec)
        # a plain list: not submodules -> not in state_dict / optimizer / DDP
        self.__dict__['_teachers'] = built
        for teacher in built:
            teacher.requires_grad_(False).eval()
        self.distill_loss = MODELS.build(
            dict(type='MultiTeacherKDLoss',
                 teacher_weights=[s['weight'] for s in self.teacher_specs],
                 **(distill or {})))

    @property
    def teachers(self) -> List[nn.Module]:
        return self._teachers

    def init_weights(self) -> None:
        """Initialise the student, then load and freeze every teacher."""
        super().init_weights()
        from mmssl.utils.checkpoint_loading import load_evaluated_weights
        for spec, teacher in zip(self.teacher_specs, self._teachers):
            if not spec['checkpoint']:
                raise FileNotFoundError(
                    f'teacher {spec["config"]}: no checkpoint given (a '
                    'teacher must be a trained classifier)')
            load_evaluated_weights(teacher, spec['checkpoint'],
                                   evaluated=('backbone.', 'cls_head.'))
            teacher.requires_grad_(False).eval()

    def train(self, mode: bool = True) -> 'MultiTeacherDistiller':
        super().train(mode)
        for teacher in self._teachers:
            teacher.eval()  # always: frozen BN statistics, no dropout
        return self

    def _apply(self, fn, *args, **kwargs):
        super()._apply(fn, *args, **kwargs)
        for teacher in self.__dict__.get('_teachers', []):
            teacher._apply(fn, *args, **kwargs)
        return self

    def _pixels(self, inputs: Tensor) -> Tensor:
        """Undo the student preprocessor's normalisation, (B, C, T, H, W)."""
        pre = self.data_preprocessor
        if getattr(pre, 'mean', None) is None:
            return inputs
        return inputs * pre.std + pre.mean

    @torch.no_grad()
    def teacher_logits(self, inputs: Tensor, data_samples) -> List[Tensor]:
        """Every teacher's class scores for the student's batch.

        Args:
            inputs (Tensor): Student inputs after its preprocessor,
                shape (B, 1, C, T, H, W).
            data_samples (list): The batch's data samples.

        Returns:
            list[Tensor]: One (B, K) tensor per teacher.
        """
        pixels = self._pixels(inputs[:, 0])
        out = []
        for spec, teacher in zip(self.teacher_specs, self._teachers):
            clip = adapt_clip(pixels, **spec['input'])[:, None]
            data = teacher.data_preprocessor(
                dict(inputs=list(clip), data_samples=data_samples), False)
            feats, kwargs = teacher.extract_feat(data['inputs'],
                                                 stage='backbone')
            out.append(teacher.cls_head(feats))
        return out

    def loss(self, inputs: Tensor, data_samples,
             **kwargs) -> Dict[str, Tensor]:
        """L = CE + sum_t lambda_t T^2 KL (see the module docstring)."""
        if inputs.shape[1] != 1:
            raise ValueError('distillation trains on one clip per video '
                             f'(num_clips=1), got {inputs.shape[1]}')
        feats, _ = self.extract_feat(inputs, data_samples=data_samples)
        logits = self.cls_head(feats)
        labels = torch.stack([ds.gt_labels.item for ds in data_samples]
                             ).to(logits.device).view(-1)
        losses = self.distill_loss(logits, labels,
                                   self.teacher_logits(inputs, data_samples))
        with torch.no_grad():
            losses['top1_acc'] = (logits.argmax(1) == labels).float().mean()
        return losses
