"""VCOP: video clip order prediction."""
from typing import Dict, Optional

import torch

from mmssl.models.utils.data_samples import stack_field
from mmssl.registry import MODELS
from .base import BaseSSLAlgorithm, SampleList


@MODELS.register_module()
class VCOP(BaseSSLAlgorithm):
    """Video Clip Order Prediction.

    Xu et al., "Self-supervised Spatiotemporal Learning via Video Clip Order
    Prediction", CVPR 2019. The ``N`` shuffled clips of a sample
    (``(B, N, C, T, H, W)``, from :class:`VCOPSampleClips`) go through the
    shared backbone; :class:`VCOPHead` classifies the permutation from
    pairwise-concatenated clip features.

    Data samples carry ``order_label`` (permutation class).

    Args:
        backbone (dict): Backbone config.
        head (dict): :class:`VCOPHead` config; a missing or ``None``
            ``in_channels`` is taken from the backbone's output channels, so
            changing the backbone is a one-line config change.
        neck (dict, optional): Neck config.
        data_preprocessor (dict, optional): Data preprocessor config.
        init_cfg (dict | list[dict], optional): Weight initialisation.
    """

    head_in_channels_from_backbone = True

    def loss(self, inputs: torch.Tensor,
             data_samples: SampleList) -> Dict[str, torch.Tensor]:
        """Order-prediction loss ``loss_order`` and accuracy ``acc_order``."""
        feats = self.pooled_features(inputs)
        labels = stack_field(data_samples, 'order_label').to(feats.device)
        return self.head.loss(feats, labels)

    def predict(self, inputs: torch.Tensor,
                data_samples: Optional[SampleList] = None) -> SampleList:
        """Features ``feats``; with order labels also ``pred_order``."""
        data_samples = super().predict(inputs, data_samples)
        has_order = inputs.dim() == 6 and inputs.shape[1] == \
            self.head.num_clips and all('order_label' in s
                                        for s in data_samples)
        if has_order:
            logits = self.head(self.pooled_features(inputs))
            for sample, pred in zip(data_samples, logits.argmax(1)):
                sample.set_field(pred, 'pred_order')
        return data_samples
