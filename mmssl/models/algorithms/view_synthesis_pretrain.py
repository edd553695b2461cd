"""Pre-training of the view-synthesis module (VAE G + flow estimator O)."""
from contextlib import contextmanager
from typing import Dict, Iterator, List, Optional, Union

import torch
from mmaction.structures import ActionDataSample
from mmengine.model import BaseModel
from mmengine.optim import OptimWrapperDict
from torch import Tensor, nn

from mmssl.models.losses.view_synthesis_losses import (gaussian_kl_divergence,
                                                        info_max_loss,
                                                        info_min_loss,
                                                        photometric_loss)
from mmssl.registry import MODELS

SampleList = List[ActionDataSample]
GENERATOR_LOSSES = ('kl', 'info_max', 'info_min', 'recon')


@contextmanager
def frozen_parameters(module: nn.Module) -> Iterator[None]:
    """Gradients flow *through* ``module`` to its inputs but not into its
    parameters (their ``requires_grad`` is restored on exit)."""
    flags = [(p, p.requires_grad) for p in module.parameters()]
    for param, _ in flags:
        param.requires_grad_(False)
    try:
        yield
    finally:
        for param, flag in flags:
            param.requires_grad_(flag)


@MODELS.register_module()
class ViewSynthesisPretrain(BaseModel):
    """Pre-training of the view-synthesis module of Section III-G (Fig. 3).

    Segment sampling-rate/order paper, "View Synthesis": before the
    self-supervised task, a VAE ``G`` (:attr:`generator`, e.g.
    :class:`~mmssl.models.generators.ViewSynthesisVAE`) learns to
    synthesise a new view ``x'`` of a clip ``x`` and a small CNN ``O``
    (:attr:`flow_estimator`) learns optical flow. Each has its own
    optimizer (``OptimWrapperDict`` with keys ``generator`` and
    ``flow_estimator``); one :meth:`train_step` does:

    1. ``o_x = O(x)`` (with gradient for ``O``);
    2. ``G`` step on ``L_G = w_kl KL(mu, logvar)`` (Eq. 14)
       ``+ w_max mean rho(o_x.detach() - O(x'))`` (info-max, Eq. 15)
       ``+ w_min mean cos(f(x).detach(), f(x'))`` (info-min, Eq. 16 as the
       text describes it) ``+ w_recon mean (x' - x)^2`` (not in the paper;
       weight 0 by default). ``O``'s parameters are frozen during this pass
       (the paper: "the parameters of the optical flow estimator are
       resumed to the original values after the backpropagation"), so the
       info-max gradient reaches ``G`` through ``O`` but never changes
       ``O``. ``f`` is :meth:`embed`: a *frozen* feature extractor
       (:attr:`feature_extractor`, any 3D backbone, global average pool;
       the only way to lower the term is then to change ``x'``) or, if
       none is given, ``G``'s own pooled posterior mean (trained through
       the ``x'`` branch; measured to collapse to cosine 1, see the docs);
    3. ``O`` step on the photometric loss of ``o_x`` (Eq. 13), computed
       with the same ``O`` as in step 2.

    The checkpoint keeps ``G`` under ``generator.*``: the SSL stage loads it
    with ``init_cfg=dict(type='Pretrained', checkpoint=...,
    prefix='generator.')``. Inputs are ``(B, V, C, T, H, W)`` (the ``V``
    clips of a video are independent samples here) or ``(B, C, T, H, W)``.
    Single process only (the paper trains on one GPU): under DDP the
    custom step would need MMEngine's ``MMSeparateDistributedDataParallel``
    and an unwrapped ``O`` for the info-max pass, which is not implemented.

    Args:
        generator (dict): Config of ``G``; needs ``forward`` ->
            ``(x', mu, logvar)``, ``synthesize`` and ``embed``.
        flow_estimator (dict): Config of ``O``: ``(N, C, T, H, W)`` ->
            ``(N, 2, T - 1, H, W)``.
        feature_extractor (dict, optional): Backbone config of ``f``
            (frozen: no gradient, always in eval mode; its weights are
            whatever its init / ``init_cfg`` gives, e.g. random). None
            uses ``G``'s encoder.
        loss_weights (dict, optional): Weights of the generator losses
            ``kl``, ``info_max``, ``info_min``, ``recon``; missing keys
            default to 1, 1, 1, 0. The paper's Eq. 16 weights are not given
            (equal weights assumed).
        charbonnier_eps (float): ``eps`` of the Charbonnier penalty.
            Defaults to 1e-3 (paper).
        data_preprocessor (dict, optional): Defaults to MMAction2's
            ``ActionDataPreprocessor`` with ``format_shape='NCTHW'``.
        init_cfg (dict, optional): Weight initialisation.
    """

    def __init__(self,
                 generator: dict,
                 flow_estimator: dict,
                 feature_extractor: Optional[dict] = None,
                 loss_weights: Optional[Dict[str, float]] = None,
                 charbonnier_eps: float = 1e-3,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[Union[dict, List[dict]]] = None) -> None:
        if data_preprocessor is None:
            data_preprocessor = dict(
                type='ActionDataPreprocessor', format_shape='NCTHW')
        if isinstance(data_preprocessor, dict):
            data_preprocessor = MODELS.build(data_preprocessor)
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.generator = MODELS.build(generator)
        self.flow_estimator = MODELS.build(flow_estimator)
        self.feature_extractor = None
        if feature_extractor is not None:
            self.feature_extractor = MODELS.build(feature_extractor)
            self.feature_extractor.requires_grad_(False)
            self.feature_extractor.eval()
        weights = dict(kl=1.0, info_max=1.0, info_min=1.0, recon=0.0)
        unknown = set(loss_weights or {}) - set(weights)
        if unknown:
            raise ValueError(f'unknown loss_weights keys {sorted(unknown)}; '
                             f'expected some of {list(weights)}')
        weights.update(loss_weights or {})
        self.loss_weights = weights
        self.charbonnier_eps = charbonnier_eps

    def train(self, mode: bool = True) -> 'ViewSynthesisPretrain':
        """Set the mode; the frozen feature extractor stays in eval."""
        super().train(mode)
        if self.feature_extractor is not None:
            self.feature_extractor.eval()
        return self

    def embed(self, clips: Tensor) -> Tensor:
        """Embedding ``f`` of the info-min loss: the frozen feature
        extractor's last feature map, globally average-pooled, or, without
        one, ``G``'s pooled posterior mean (:meth:`ViewSynthesisVAE.embed`).

        Args:
            clips (Tensor): ``(N, C, T, H, W)``.

        Returns:
            Tensor: ``(N, D)``.
        """
        if self.feature_extractor is None:
            return self.generator.embed(clips)
        feats = self.feature_extractor(clips)
        if isinstance(feats, (tuple, list)):
            feats = feats[-1]
        return feats.flatten(2).mean(dim=2) if feats.dim() > 2 else feats

    @staticmethod
    def _clips(inputs: Tensor) -> Tensor:
        if inputs.dim() == 6:
            return inputs.flatten(0, 1)
        if inputs.dim() == 5:
            return inputs
        raise ValueError('expected inputs (B, V, C, T, H, W) or '
                         f'(B, C, T, H, W), got {tuple(inputs.shape)}')

    def generator_losses(self, clips: Tensor,
                         flow_real: Tensor) -> Dict[str, Tensor]:
        """Weighted losses of ``G`` (``O``'s parameters get no gradient).

        Args:
            clips (Tensor): ``(N, C, T, H, W)``.
            flow_real (Tensor): ``O(x)`` ``(N, 2, T - 1, H, W)`` (detached
                inside the info-max loss).

        Returns:
            dict[str, Tensor]: ``loss_kl``, ``loss_info_max``,
            ``loss_info_min`` (and ``loss_recon`` if its weight is not 0),
            and the monitor ``recon_mse`` (not a loss).
        """
        weights, eps = self.loss_weights, self.charbonnier_eps
        view, mu, logvar = self.generator(clips)
        with torch.no_grad():
            embed_real = self.embed(clips)
        with frozen_parameters(self.flow_estimator):
            flow_view = self.flow_estimator(view)
        embed_view = self.embed(view)
        losses = dict(
            loss_kl=weights['kl'] * gaussian_kl_divergence(mu, logvar),
            loss_info_max=weights['info_max'] *
            info_max_loss(flow_real, flow_view, eps),
            loss_info_min=weights['info_min'] *
            info_min_loss(embed_real, embed_view),
            recon_mse=(view.detach() - clips).pow(2).mean())
        if weights['recon']:
            losses['loss_recon'] = weights['recon'] * (view - clips).pow(
                2).mean()
        return losses

    def loss(self, inputs: Tensor,
             data_samples: Optional[SampleList] = None) -> Dict[str, Tensor]:
        """All losses of one batch with their graphs (``loss_photometric``
        for ``O``, the others for ``G``); :meth:`train_step` steps each
        optimizer on its own share."""
        clips = self._clips(inputs)
        flow_real = self.flow_estimator(clips)
        losses = self.generator_losses(clips, flow_real)
        losses['loss_photometric'] = photometric_loss(clips, flow_real,
                                                      self.charbonnier_eps)
        return losses

    def train_step(self, data: Union[dict, tuple, list],
                   optim_wrapper: OptimWrapperDict) -> Dict[str, Tensor]:
        """One step of ``G`` then one step of ``O`` (see the class doc).

        Args:
            data (dict | tuple | list): A batch from the dataloader.
            optim_wrapper (OptimWrapperDict): With keys ``generator`` and
                ``flow_estimator``.

        Returns:
            dict[str, Tensor]: Detached losses (their sum as ``loss``) and
            the monitors ``recon_mse`` (mean squared difference of ``x'``
            and ``x``), ``flow_abs`` (mean absolute flow of ``x``) and
            ``photometric_zero_flow`` (Eq. 13 for a zero flow: ``O`` has
            learnt motion where ``loss_photometric`` is below it).
        """
        missing = {'generator', 'flow_estimator'} - set(optim_wrapper.keys())
        if missing:
            raise KeyError(f'optim_wrapper must be an OptimWrapperDict with '
                           f'keys generator and flow_estimator; missing '
                           f'{sorted(missing)}')
        gen_wrapper = optim_wrapper['generator']
        flow_wrapper = optim_wrapper['flow_estimator']
        data = self.data_preprocessor(data, True)
        clips = self._clips(data['inputs'])
        with flow_wrapper.optim_context(self.flow_estimator):
            flow_real = self.flow_estimator(clips)
        with gen_wrapper.optim_context(self.generator):
            gen_losses = self.generator_losses(clips, flow_real)
        parsed_gen, log_vars = self.parse_losses(gen_losses)
        log_vars = {k: v.detach() for k, v in log_vars.items()}
        gen_wrapper.update_params(parsed_gen)
        loss_photo = photometric_loss(clips, flow_real, self.charbonnier_eps)
        flow_wrapper.update_params(loss_photo)
        log_vars['loss_photometric'] = loss_photo.detach()
        log_vars['loss'] = log_vars['loss'] + log_vars['loss_photometric']
        log_vars['flow_abs'] = flow_real.detach().abs().mean()
        with torch.no_grad():
            log_vars['photometric_zero_flow'] = photometric_loss(
                clips, torch.zeros_like(flow_real), self.charbonnier_eps)
        return log_vars

    def forward(self,
                inputs: Tensor,
                data_samples: Optional[SampleList] = None,
                mode: str = 'tensor'
                ) -> Union[Tensor, Dict[str, Tensor], SampleList]:
        """``'loss'``: :meth:`loss`; ``'tensor'``: synthesised views
        (shape of ``inputs``); ``'predict'``: data samples with ``feats``
        = ``G``'s embedding averaged over the clips of a video."""
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        if mode == 'tensor':
            return self.generator.synthesize(
                self._clips(inputs)).view_as(inputs)
        if mode == 'predict':
            feats = self.generator.embed(self._clips(inputs)).detach()
            feats = feats.view(inputs.shape[0], -1, feats.shape[-1]).mean(1)
            if data_samples is None:
                data_samples = [ActionDataSample() for _ in feats]
            for sample, feat in zip(data_samples, feats):
                sample.set_field(feat, 'feats')
            return data_samples
        raise RuntimeError(f'Invalid mode "{mode}"; use "loss", "tensor" or '
                           '"predict"')
