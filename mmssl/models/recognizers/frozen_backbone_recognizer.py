"""A ``Recognizer3D`` whose backbone is truly frozen: the linear probe.

A linear probe must score the pretrained representation unchanged. Setting
``requires_grad=False`` alone is not enough: BatchNorm layers in training
mode still update ``running_mean`` / ``running_var`` /
``num_batches_tracked`` on every forward pass, so the probed backbone
drifts towards the probe data (a known bug of frozen probes in peer
codebases). MMAction2's ``ResNet3d(frozen_stages=4, norm_eval=True)`` does
freeze everything of that one backbone family, but most backbones
(R(2+1)D, C3D, S3D-G, ViTs, mmssl's own) have no such options.
:class:`FrozenBackboneRecognizer3D` freezes any backbone:

- every backbone parameter gets ``requires_grad=False`` (no gradient, so
  SGD, momentum and weight decay leave it alone);
- ``train()`` puts the whole backbone back into ``eval()`` mode after
  MMEngine's runner calls ``model.train()``, so BatchNorm uses and keeps its
  running statistics and dropout / stochastic depth are off;
- ``backbone_checkpoint`` loads a pretrained backbone *strictly* in
  ``init_weights()`` (:func:`~mmssl.utils.checkpoint_loading.
  load_evaluated_weights`: a checkpoint without matching ``backbone.``
  keys is an error, unlike MMEngine's non-strict ``load_from``).

``tests/test_evaluation/test_linear_probe_paths.py`` checks that backbone
parameters and BN buffers are bit-identical after probing with
``tools/train.py``. See docs/protocols/linear_probe.md.
"""
from typing import Optional

from mmaction.models.recognizers import Recognizer3D

from mmssl.registry import MODELS
from mmssl.utils.checkpoint_loading import load_evaluated_weights


@MODELS.register_module()
class FrozenBackboneRecognizer3D(Recognizer3D):
    """``Recognizer3D`` training only its neck/head on a frozen backbone.

    Args:
        backbone_checkpoint (str, optional): Checkpoint whose ``backbone.*``
            weights are loaded strictly by ``init_weights()`` (e.g. an mmssl
            pretraining checkpoint). ``None`` keeps the backbone's own
            initialisation (a random-init baseline).
        **kwargs: ``Recognizer3D`` arguments (``backbone``, ``cls_head``,
            ``neck``, ``train_cfg``, ``test_cfg``, ``data_preprocessor``).
    """

    def __init__(self,
                 backbone_checkpoint: Optional[str] = None,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.backbone_checkpoint = backbone_checkpoint
        self._freeze_backbone()

    def _freeze_backbone(self) -> None:
        for param in self.backbone.parameters():
            param.requires_grad = False
        self.backbone.eval()

    def init_weights(self) -> None:
        """Initialise, then load ``backbone_checkpoint`` strictly."""
        super().init_weights()
        if self.backbone_checkpoint is not None:
            load_evaluated_weights(self, self.backbone_checkpoint)
        self._freeze_backbone()

    def train(self, mode: bool = True) -> 'FrozenBackboneRecognizer3D':
        """Set the mode of neck and head; the backbone stays in eval."""
        super().train(mode)
        self._freeze_backbone()
        return self
