"""The paper-setting configs' loss weights against the literal objectives.

- STCLR / Simplified TCLR: Eq. 1 with Eq. 2 (one term per video) and Eq. 3
  (a sum over the n local clips of a video), both averaged over videos.
- TCLR: the sums of the authors' released training loop
  (``train_gen_all_step.py``): NT-Xent of the global pair, NT-Xent over the
  ordered pairs of dense clips / 4, the local-local NT-Xent summed over the
  batch's videos, the global-local loss summed over 2 x 2 view pairs.
The references below are written from those definitions with explicit
loops; the package computes per-anchor means times the configs' weights.
"""
import os.path as osp

import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.registry import init_default_scope

import mmssl  # noqa: F401
from mmssl.models.losses import (InstanceContrastiveLoss,
                                 PairwiseInstanceContrastiveLoss)
from mmssl.registry import MODELS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))
TCLR_CFG = 'configs/tclr/tclr_r3d-18_1xb40-16x112x112-400e_ucf101-split1.py'
STCLR_CFG = 'configs/stclr/stclr_r3d-18_1xb38-16x112x112-400e_ucf101-split1.py'
SIMPLIFIED_CFG = ('configs/stclr/simplified-tclr_r3d-18_1xb38-16x112x112-'
                  '400e_ucf101-split1.py')


def head_of(config):
    init_default_scope('mmssl')
    return MODELS.build(Config.fromfile(osp.join(REPO, config)).model.head)


def h(u, v, tau):
    return torch.exp(torch.dot(u, v) / (u.norm() * v.norm() * tau))


def unit(*shape):
    return F.normalize(torch.randn(*shape, dtype=torch.float64), dim=-1)


# ------------------------------------------------------------- STCLR


def literal_stclr_contrastive(g, g2, loc, loc2, tau):
    """mean_i L_IC^i (Eq. 2) + mean_i L_SLL^i (Eq. 3, sum over p)."""
    n, clips = loc.shape[:2]
    ic = sll = 0.
    for i in range(n):
        den = sum((h(g[i], g[j], tau) if j != i else 0.) + h(g[i], g2[j], tau)
                  for j in range(n))
        ic = ic - torch.log(h(g[i], g2[i], tau) / den)
        for p in range(clips):
            den = sum((h(loc[i, p], loc[i, q], tau) if q != p else 0.) +
                      h(loc[i, p], loc2[i, q], tau) for q in range(clips))
            sll = sll - torch.log(h(loc[i, p], loc2[i, p], tau) / den)
    return ic / n, sll / n


def test_stclr_configs_weight_eq3_as_a_sum_over_clips():
    torch.manual_seed(0)
    g, g2 = unit(3, 6), unit(3, 6)
    loc, loc2 = unit(3, 5, 6), unit(3, 5, 6)
    ic, sll = literal_stclr_contrastive(g, g2, loc, loc2, 0.3)
    for config in (STCLR_CFG, SIMPLIFIED_CFG):
        losses = head_of(config).loss(instance=(g, g2), local=(loc, loc2))
        torch.testing.assert_close(losses['loss_ic'], ic)
        torch.testing.assert_close(losses['loss_sll'], sll)
    speedloc = Config.fromfile(osp.join(REPO, STCLR_CFG)).model.speedloc_head
    assert speedloc.get('loss_cls', {}).get('loss_weight', 1.0) == 1.0


# -------------------------------------------------------------- TCLR


def released_nt_xent(zi, zj, tau):
    """NT-Xent as TCLR's loop uses it: 2B anchors (both views), positive
    the other view of the same row, the 2B - 2 other rows as negatives,
    dot products of unit vectors, summed cross-entropy / 2B."""
    reps = torch.cat([zj, zi])
    b, n = zi.shape[0], 2 * zi.shape[0]
    total = 0.
    for k in range(n):
        pos = (k + b) % n
        others = [m for m in range(n) if m not in (k, pos)]
        logits = torch.cat([reps[k] @ reps[[pos]].T,
                            reps[k] @ reps[others].T]) / tau
        total = total - torch.log_softmax(logits, 0)[0]
    return total / n


def released_global_local(tokens, dense, tau):
    """Cross-entropy over the 4x4 similarities and their transpose,
    summed over rows, / 2B."""
    b, p = tokens.shape[:2]
    total = 0.
    for i in range(b):
        sim = tokens[i] @ dense[i].T / tau
        for mat in (sim, sim.T):
            for q in range(p):
                total = total - torch.log_softmax(mat[q], 0)[q]
    return total / (2 * b)


def released_tclr_loss(g, g2, tokens, tokens2, loc, loc2, tau):
    sparse_tokens, dense = (tokens, tokens2), (loc, loc2)
    ic2 = released_nt_xent(g, g2, tau)
    ic1 = 0.
    for ii in range(2):
        for jj in range(2):
            for c in range(4):
                for c1 in range(4):
                    if ii == jj and c == c1:
                        continue
                    ic1 = ic1 + released_nt_xent(dense[ii][:, c],
                                                 dense[jj][:, c1], tau)
    ic1 = ic1 / 4
    ll = sum(released_nt_xent(loc[i], loc2[i], tau)
             for i in range(loc.shape[0]))
    gl = sum(released_global_local(sparse_tokens[ii], dense[jj], tau)
             for ii in range(2) for jj in range(2))
    return dict(loss_ic=ic2, loss_ic_dense=ic1, loss_ll=ll, loss_gl=gl)


def test_tclr_config_reproduces_the_released_loss_sums():
    torch.manual_seed(0)
    batch = Config.fromfile(osp.join(REPO, TCLR_CFG)).train_dataloader[
        'batch_size']
    assert batch == 40  # the local-local weight is the released batch size
    g, g2 = unit(batch, 4), unit(batch, 4)
    tokens, tokens2 = unit(batch, 4, 4), unit(batch, 4, 4)
    loc, loc2 = unit(batch, 4, 4), unit(batch, 4, 4)
    expected = released_tclr_loss(g, g2, tokens, tokens2, loc, loc2, 0.1)
    pairs = [(t, lc) for t in (tokens, tokens2) for lc in (loc, loc2)]
    losses = head_of(TCLR_CFG).loss(
        instance=(g, g2), local=(loc, loc2), global_local=pairs,
        dense=torch.cat([loc, loc2], 1))
    assert set(losses) == set(expected)
    for key, value in expected.items():
        torch.testing.assert_close(losses[key], value, msg=key)


def test_pairwise_instance_is_the_mean_over_clip_pairs():
    torch.manual_seed(1)
    clips = torch.randn(5, 4, 8)
    for symmetric in (False, True):
        single = InstanceContrastiveLoss(0.2, symmetric=symmetric)
        pairs = [single(clips[:, a], clips[:, b])
                 for a in range(4) for b in range(a + 1, 4)]
        loss = PairwiseInstanceContrastiveLoss(
            0.2, loss_weight=3., symmetric=symmetric)(clips)
        torch.testing.assert_close(loss, 3. * torch.stack(pairs).mean())
