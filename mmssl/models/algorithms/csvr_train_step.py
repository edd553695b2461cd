"""CSVR's optimisation step: one optimizer per generator / encoder /
discriminator (MMEngine ``OptimWrapperDict``), alternating or one-stage
(OSGAN) GAN updates."""
from collections import OrderedDict
from typing import Dict, List, Tuple

import torch
from mmengine.optim import OptimWrapperDict
from torch import Tensor

from mmssl.models.losses.adversarial import (discriminator_loss,
                                             generator_loss, osgan_ratio,
                                             osgan_scale)
from mmssl.models.losses.gradient_penalty import gradient_penalty
from .csvr_stages import DISCRIMINATORS


class CSVRTrainStepMixin:
    """``train_step`` of :class:`CSVR` (needs its branch methods).

    - ``gan_update='alternating'``: (1) every discriminator steps on
      ``L_D`` (+ WGAN-GP) with the generated samples detached; (2) the
      generators / encoders step on the Eq. 9 objective with the updated
      discriminators. Two backward passes, two discriminator forwards on
      the fakes.
    - ``gan_update='one_stage'`` (OSGAN): one forward, one backward of
      ``sum L_D + GP + (non-adversarial generator terms)`` in which the
      gradient reaching each fake batch is rescaled per sample
      (:func:`~mmssl.models.losses.adversarial.osgan_scale`), so the
      generators receive exactly the gradient of their adversarial terms;
      all optimizers step once.

    Each optimizer only ever steps its own module's parameters (the
    ``PerModuleOptimWrapperConstructor`` builds one wrapper per attribute);
    gradients are zeroed on every wrapper after each phase.
    """

    def _branch_weight(self, branch: str) -> float:
        """Eq. 9 weight in the joint stage, 1 in a single-branch stage."""
        if self.stage != 'joint':
            return 1.0
        return dict(pose=self.sigma_p, context=self.sigma_c).get(branch, 1.0)

    def forward_generators(self, batch: dict) -> dict:
        """Every generator/encoder output the stage needs."""
        out = {}
        if {'pose', 'video'} & set(self.losses_used):
            out.update(self.pose_forward(batch))
        if {'context', 'video'} & set(self.losses_used):
            out.update(self.context_forward(batch))
        if 'video' in self.losses_used:
            f_i = self.video_condition(out['f_s'], out['enc_feat'])
            out['videos'] = {
                t: self.generators_of(t)[0](f_i)
                for t in self.video_targets
            }
        return out

    def gan_pairs(self, out: dict, batch: dict) -> List[tuple]:
        """``(name, D, real, fake, condition, generator weight, gp weight)``
        of every GAN the stage trains."""
        pairs = []
        if 'pose' in self.losses_used:
            pairs.append(('pose', self.pose_discriminator,
                          batch['pose_future'], out['p_gen'],
                          batch['pose_in'], self._branch_weight('pose') *
                          self.adversarial_weight, self.gp_weight))
        if 'video' in self.losses_used:
            n = len(self.video_targets)
            first = next(iter(out['videos'].values()))
            reals = self.video_targets_of(batch, first.shape[2:])
            for t, fake in out['videos'].items():
                pairs.append((t, self.generators_of(t)[1], reals[t], fake,
                              None, self.adversarial_weight / n,
                              self.video_gp_weight))
        return pairs

    def generator_terms(self, out: dict, batch: dict,
                        pairs: List[tuple]) -> Dict[str, Tensor]:
        """Weighted non-adversarial terms of Eq. 9 (pose L2, context, pixel
        L2), plus ``acc_context`` (not a loss)."""
        terms = {}
        if 'pose' in self.losses_used:
            terms['loss_pose_l2'] = self._branch_weight(
                'pose') * self.pose_reconstruction_loss(out['p_gen'], batch)
        if 'context' in self.losses_used:
            terms['loss_context'] = self._branch_weight(
                'context') * self.loss_context(out['f_s'],
                                               out['iframe_feats'],
                                               out['owner'])
            terms['acc_context'] = self.context_accuracy(
                out['f_s'], out['iframe_feats'], out['owner'])
        n = len(self.video_targets)
        for name, _, real, fake, *_ in pairs:
            if name != 'pose':
                terms[f'loss_{name}_l2'] = (fake - real).pow(2).mean() / n
        return terms

    @staticmethod
    def _score(disc, x: Tensor, cond) -> Tensor:
        return disc(x) if cond is None else disc(x, cond)

    def _disc_loss(self, pair: tuple, fake_in: Tensor,
                   logs: dict) -> Tuple[Tensor, Tensor]:
        """``L_D`` (+ GP) of one GAN and its fake logits."""
        name, disc, real, fake, cond, _, gp_w = pair
        s_real = self._score(disc, real, cond)
        s_fake = self._score(disc, fake_in, cond)
        loss = discriminator_loss(s_real, s_fake, self.adversarial_type)
        logs[f'loss_{name}_d'] = loss.detach()
        logs[f'{name}_d_real'] = s_real.detach().mean()
        logs[f'{name}_d_fake'] = s_fake.detach().mean()
        if gp_w > 0:
            gp = gradient_penalty(disc, real, fake, cond)
            logs[f'{name}_gp'] = gp.detach()
            loss = loss + gp_w * gp
        return loss, s_fake

    def forward_losses(self, batch: dict) -> Tuple[dict, Dict[str, Tensor]]:
        """Generator outputs and the generator-side losses (with the
        adversarial terms against the current discriminators)."""
        out = self.forward_generators(batch)
        pairs = self.gan_pairs(out, batch)
        terms = self.generator_terms(out, batch, pairs)
        for name, disc, _, fake, cond, gen_w, _ in pairs:
            terms[f'loss_{name}_g'] = gen_w * generator_loss(
                self._score(disc, fake, cond), self.adversarial_type)
        return out, terms

    def _check_wrappers(self, optim_wrapper: OptimWrapperDict) -> None:
        if not isinstance(optim_wrapper, OptimWrapperDict):
            raise TypeError('CSVR trains with an OptimWrapperDict (config: '
                            "optim_wrapper=dict(constructor='MultiOptim"
                            "WrapperConstructor', <module>=dict(...), ...))")
        absent = [k for k in optim_wrapper.keys()
                  if getattr(self, k, None) is None]
        if absent:
            raise KeyError(f'optim_wrapper keys {absent} name modules that '
                           f'CSVR stage {self.stage!r} does not build')

    @staticmethod
    def _step(optim_wrapper, keys) -> None:
        for key in keys:
            optim_wrapper[key].step()
        for wrapper in optim_wrapper.values():
            wrapper.zero_grad()

    def train_step(self, data, optim_wrapper: OptimWrapperDict
                   ) -> Dict[str, Tensor]:
        """One CSVR iteration; returns the log variables."""
        self._check_wrappers(optim_wrapper)
        data = self.data_preprocessor(data, True)
        batch = self.unpack(data['inputs'], data['data_samples'])
        d_keys = [k for k in optim_wrapper.keys() if k in DISCRIMINATORS]
        g_keys = [k for k in optim_wrapper.keys() if k not in DISCRIMINATORS]
        for wrapper in optim_wrapper.values():
            wrapper.zero_grad()
        logs: Dict[str, Tensor] = OrderedDict()
        out = self.forward_generators(batch)
        pairs = self.gan_pairs(out, batch)
        terms = self.generator_terms(out, batch, pairs)
        g_total = sum(v for k, v in terms.items() if k.startswith('loss'))
        if self.gan_update == 'one_stage':
            total = g_total
            for pair in pairs:
                fake_in, holder = osgan_scale(pair[3])
                d_loss, s_fake = self._disc_loss(pair, fake_in, logs)
                holder['scale'] = pair[5] * osgan_ratio(
                    s_fake, self.adversarial_type)
                logs[f'loss_{pair[0]}_g'] = pair[5] * generator_loss(
                    s_fake.detach(), self.adversarial_type)
                total = total + d_loss
            total.backward()
            self._step(optim_wrapper, g_keys + d_keys)
        else:
            if pairs:
                d_total = sum(
                    self._disc_loss(p, p[3].detach(), logs)[0]
                    for p in pairs)
                d_total.backward()
                self._step(optim_wrapper, d_keys)
            for name, disc, _, fake, cond, gen_w, _ in pairs:
                adv = gen_w * generator_loss(
                    self._score(disc, fake, cond), self.adversarial_type)
                logs[f'loss_{name}_g'] = adv.detach()
                g_total = g_total + adv
            g_total.backward()
            self._step(optim_wrapper, g_keys)
        logs.update({k: v.detach() for k, v in terms.items()})
        if 'iframe_is_fallback' in batch:
            logs['iframe_fallback'] = batch['iframe_is_fallback'].mean()
        gen_side = [v for k, v in logs.items()
                    if k.startswith('loss') and not k.endswith('_d')]
        logs['loss'] = sum(gen_side)
        return logs
