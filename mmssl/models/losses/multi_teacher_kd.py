"""Multi-teacher knowledge distillation loss (Kumar et al., "A Large-Scale
Analysis on Contextual Self-Supervised Video Representation Learning",
Sec. 4.5 and supp. D.6, Tables 5, 13-15)::

    L = CE(z_s, y) + sum_t lambda_t * T^2 * KL(p_t^T || p_s^T),
    p^T = softmax(z / T)

KL direction: the study's equation is lost in our text of the paper
("... where [CE] is the cross-entropy loss for hard labels, and [KL_t]
represents the KL-divergence loss from teacher t"); it cites Hinton et al.
(2015) [16], whose distillation term is KL(teacher || student) =
sum_c p_t log(p_t / p_s), i.e. the teacher's distribution is the target
(``F.kl_div(log p_s, p_t)``, what every released KD code computes). That is
the default, ``direction='forward'``. The issue text writes
"KL(student || teacher_t)"; read literally that is the reverse KL
sum_c p_s log(p_s / p_t) (mode seeking), available as
``direction='reverse'``. The T^2 factor (Hinton et al., Sec. 2) keeps the
gradient scale of the soft term independent of T.
"""
from typing import Dict, Sequence

import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor

from mmssl.registry import MODELS

__all__ = ['kd_kl_divergence', 'MultiTeacherKDLoss']

DIRECTIONS = ('forward', 'reverse')


def kd_kl_divergence(student_logits: Tensor, teacher_logits: Tensor,
                     temperature: float = 1.0,
                     direction: str = 'forward') -> Tensor:
    """Temperature-scaled KL divergence between teacher and student,
    times T^2, averaged over the batch.

    Args:
        student_logits (Tensor): Shape (B, K).
        teacher_logits (Tensor): Shape (B, K) (no gradient needed).
        temperature (float): T > 0.
        direction (str): ``'forward'``: KL(p_t || p_s) (Hinton);
            ``'reverse'``: KL(p_s || p_t).

    Returns:
        Tensor: Scalar ``T^2 * mean_b KL_b``.
    """
    if direction not in DIRECTIONS:
        raise ValueError(f'direction must be one of {DIRECTIONS}, got '
                         f'{direction!r}')
    if temperature <= 0:
        raise ValueError(f'temperature must be > 0, got {temperature}')
    if student_logits.shape != teacher_logits.shape:
        raise ValueError(f'student logits {tuple(student_logits.shape)} and '
                         f'teacher logits {tuple(teacher_logits.shape)} '
                         'differ: the teachers must predict the same '
                         'classes as the student')
    log_p_s = F.log_softmax(student_logits / temperature, dim=1)
    log_p_t = F.log_softmax(teacher_logits / temperature, dim=1)
    if direction == 'forward':
        kl = (log_p_t.exp() * (log_p_t - log_p_s)).sum(1)
    else:
        kl = (log_p_s.exp() * (log_p_s - log_p_t)).sum(1)
    return temperature**2 * kl.mean()


@MODELS.register_module()
class MultiTeacherKDLoss(nn.Module):
    """Cross-entropy on the labels plus weighted KD terms, one per teacher.

    Args:
        teacher_weights (Sequence[float]): lambda_t per teacher.
        temperature (float): T. Defaults to 4.0 (a common KD choice; the
            study does not state its value).
        ce_weight (float): Weight of the hard-label CE. Defaults to 1.0.
        direction (str): See :func:`kd_kl_divergence`. Defaults to
            ``'forward'`` (Hinton).
    """

    def __init__(self,
                 teacher_weights: Sequence[float],
                 temperature: float = 4.0,
                 ce_weight: float = 1.0,
                 direction: str = 'forward') -> None:
        super().__init__()
        if direction not in DIRECTIONS:
            raise ValueError(f'direction must be one of {DIRECTIONS}, got '
                             f'{direction!r}')
        self.teacher_weights = [float(w) for w in teacher_weights]
        self.temperature = float(temperature)
        self.ce_weight = float(ce_weight)
        self.direction = direction

    def forward(self, student_logits: Tensor, labels: Tensor,
                teacher_logits: Sequence[Tensor]) -> Dict[str, Tensor]:
        """Loss terms.

        Args:
            student_logits (Tensor): Shape (B, K).
            labels (Tensor): Class indices, shape (B, ).
            teacher_logits (Sequence[Tensor]): One (B, K) tensor per
                teacher, in ``teacher_weights`` order.

        Returns:
            dict[str, Tensor]: ``loss_ce`` and ``loss_kd_t<i>`` (weighted);
            their sum is L.
        """
        if len(teacher_logits) != len(self.teacher_weights):
            raise ValueError(f'{len(teacher_logits)} teacher outputs for '
                             f'{len(self.teacher_weights)} teacher weights')
        losses = dict(loss_ce=self.ce_weight *
                      F.cross_entropy(student_logits, labels))
        for i, (weight, logits) in enumerate(
                zip(self.teacher_weights, teacher_logits)):
            losses[f'loss_kd_t{i}'] = weight * kd_kl_divergence(
                student_logits, logits.detach().to(student_logits.dtype),
                self.temperature, self.direction)
        return losses
