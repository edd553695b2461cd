"""Segment-order and playback-direction targets (Jeyaprabhavathi, 3.6)."""
import math
from typing import Dict

import numpy as np
from mmcv.transforms import BaseTransform

from mmssl.registry import TRANSFORMS


@TRANSFORMS.register_module()
class TemporalPretextLabels(BaseTransform):
    """Draw the permutation and the direction a sample's clip is shown in.

    Jeyaprabhavathi, Sec. 3.6 and Table 6: sequence order prediction
    (shuffled frames -> the correct order index) and motion direction
    detection (forward or reverse). The labels are drawn here, with the
    sample (model deterministic given its inputs, as VCOP's sampler); the
    model applies them to the clip's frame embeddings
    (:func:`~mmssl.models.utils.segment_order.shuffle_segments`,
    :func:`~mmssl.models.utils.segment_order.reverse_time`).

    Added Keys:

        - order_label (int): index in ``permutation_table(num_segments)``
          (lexicographic), uniform over all ``num_segments!``.
        - direction_label (int): 1 = reversed playback (probability
          ``reverse_prob``), 0 = forward.

    Pack both with ``PackSSLInputs(target_keys=(..., 'order_label',
    'direction_label'))``.

    Args:
        num_segments (int): Segments the clip is cut into. Defaults to 4.
        reverse_prob (float): Probability of reversed playback. Defaults
            to 0.5.
    """

    def __init__(self, num_segments: int = 4,
                 reverse_prob: float = 0.5) -> None:
        if not 2 <= num_segments <= 6:
            raise ValueError('num_segments must be in [2, 6] (at most 720 '
                             f'order classes), got {num_segments}')
        if not 0.0 <= reverse_prob <= 1.0:
            raise ValueError(f'reverse_prob must be in [0, 1], got '
                             f'{reverse_prob}')
        self.num_segments = int(num_segments)
        self.num_orders = math.factorial(self.num_segments)
        self.reverse_prob = float(reverse_prob)

    def transform(self, results: Dict) -> Dict:
        results['order_label'] = int(np.random.randint(self.num_orders))
        results['direction_label'] = int(
            np.random.rand() < self.reverse_prob)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(num_segments='
                f'{self.num_segments}, reverse_prob={self.reverse_prob})')
