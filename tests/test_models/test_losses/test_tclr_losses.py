"""Tests of the TCLR / STCLR contrastive losses against their equations."""
import datetime
import gc
import math
import socket
import time

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn

from mmssl.models.losses import (GlobalLocalContrastiveLoss,
                                 InstanceContrastiveLoss,
                                 LocalLocalContrastiveLoss)
from mmssl.registry import MODELS

# --------------------------------------------------------------------------
# Literal references: explicit loops over the indices of the equations.
# --------------------------------------------------------------------------


def h(u, v, tau):
    """h(u, v) = exp(u^T v / (|u| |v| tau)) (STCLR, below Eq. 2)."""
    return torch.exp(torch.dot(u, v) / (u.norm() * v.norm() * tau))


def ref_instance(g, g2, tau):
    """STCLR Eq. 2, averaged over the N videos."""
    n = g.shape[0]
    total = 0.
    for i in range(n):
        den = 0.
        for j in range(n):
            if j != i:
                den = den + h(g[i], g[j], tau)
            den = den + h(g[i], g2[j], tau)
        total = total - torch.log(h(g[i], g2[i], tau) / den)
    return total / n


def ref_local_local(l, l2, tau):
    """STCLR Eq. 3, averaged over the N * P anchors."""
    n, p_clips = l.shape[:2]
    total = 0.
    for i in range(n):
        for p in range(p_clips):
            den = 0.
            for q in range(p_clips):
                if q != p:
                    den = den + h(l[i, p], l[i, q], tau)
                den = den + h(l[i, p], l2[i, q], tau)
            total = total - torch.log(h(l[i, p], l2[i, p], tau) / den)
    return total / (n * p_clips)


def ref_global_local(gf, lf, tau, symmetric):
    """TCLR global-local loss: anchor global timestep q, positive local clip
    q, denominator over the P local clips; optionally also L -> G."""
    n, p_clips = gf.shape[:2]

    def one_direction(a, b):
        total = 0.
        for i in range(n):
            for q in range(p_clips):
                den = 0.
                for p in range(p_clips):
                    den = den + h(a[i, q], b[i, p], tau)
                total = total - torch.log(h(a[i, q], b[i, q], tau) / den)
        return total / (n * p_clips)

    loss = one_direction(gf, lf)
    if symmetric:
        loss = 0.5 * (loss + one_direction(lf, gf))
    return loss


def ref_instance_sym(g, g2, tau, symmetric):
    loss = ref_instance(g, g2, tau)
    if symmetric:
        loss = 0.5 * (loss + ref_instance(g2, g, tau))
    return loss


def ref_local_local_sym(l, l2, tau, symmetric):
    loss = ref_local_local(l, l2, tau)
    if symmetric:
        loss = 0.5 * (loss + ref_local_local(l2, l, tau))
    return loss


def _close(a, b, **kw):
    torch.testing.assert_close(torch.as_tensor(a, dtype=torch.float64),
                               torch.as_tensor(b, dtype=torch.float64), **kw)


# --------------------------------------------------------------------------
# Closed-form cases.
# --------------------------------------------------------------------------


@pytest.mark.parametrize('tau', [0.1, 0.5, 1.0])
def test_instance_closed_form(tau):
    e = torch.eye(2, dtype=torch.float64)
    # Orthogonal videos, identical positives: per anchor the numerator is
    # e^{1/tau} and the denominator e^{1/tau} + h(G1,G2) + h(G1,G'2)
    # = e^{1/tau} + 1 + 1.
    loss = InstanceContrastiveLoss(temperature=tau)(e, e.clone())
    _close(loss, math.log(1 + 2 * math.exp(-1 / tau)))
    # Positive pointing the opposite way: cos = -1.
    loss = InstanceContrastiveLoss(temperature=tau)(e, -e)
    _close(loss, -math.log(math.exp(-1 / tau) / (math.exp(-1 / tau) + 2)))
    # loss_weight is a plain multiplier.
    loss = InstanceContrastiveLoss(temperature=tau, loss_weight=0.25)(e, e)
    _close(loss, 0.25 * math.log(1 + 2 * math.exp(-1 / tau)))


def test_instance_closed_form_asymmetric():
    tau = 0.5
    g = torch.tensor([[1., 0.], [0., 1.]], dtype=torch.float64)
    g2 = torch.tensor([[1., 0.], [1., 0.]], dtype=torch.float64)
    e1, e0 = math.exp(1 / tau), 1.0
    # Anchors G (Eq. 2 as written):
    #   i=1: pos h(e1,e1)=e1; den = h(e1,e2) + h(e1,e1) + h(e1,e1) = 1+2e1
    #   i=2: pos h(e2,e1)=1;  den = h(e2,e1) + h(e2,e1) + h(e2,e1) = 3
    l_g = 0.5 * (-math.log(e1 / (e0 + 2 * e1)) - math.log(1 / 3))
    # Anchors G' (swapped views):
    #   i=1: pos h(e1,e1)=e1; den = h(e1,e1)[j=2] + h(e1,e1) + h(e1,e2)
    #   i=2: pos h(e1,e2)=1;  den = h(e1,e1)[j=1] + h(e1,e1) + h(e1,e2)
    l_g2 = 0.5 * (-math.log(e1 / (2 * e1 + 1)) - math.log(1 / (2 * e1 + 1)))
    _close(InstanceContrastiveLoss(temperature=tau)(g, g2), l_g)
    _close(
        InstanceContrastiveLoss(temperature=tau, symmetric=True)(g, g2),
        0.5 * (l_g + l_g2))


def test_instance_single_video_is_zero():
    # N = 1: the denominator is the positive only.
    g = torch.randn(1, 8)
    _close(InstanceContrastiveLoss()(g, torch.randn(1, 8)), 0.0)


@pytest.mark.parametrize('tau', [0.1, 0.7])
def test_local_local_closed_form(tau):
    # P = 3 orthonormal clips, twins identical: per anchor the numerator is
    # e^{1/tau} and the 2P-2 = 4 negatives each contribute exp(0) = 1.
    e = torch.eye(3, dtype=torch.float64)[None].repeat(2, 1, 1)
    loss = LocalLocalContrastiveLoss(temperature=tau)(e, e.clone())
    _close(loss, math.log(1 + 4 * math.exp(-1 / tau)))
    loss = LocalLocalContrastiveLoss(temperature=tau, loss_weight=3.)(e, e)
    _close(loss, 3 * math.log(1 + 4 * math.exp(-1 / tau)))


def test_global_local_closed_form():
    tau = 0.2
    e1, e2 = torch.eye(2, dtype=torch.float64)
    # Aligned: each direction is a 2-way softmax with logits (1/tau, 0).
    gf = torch.stack([e1, e2])[None]
    expected = math.log(1 + math.exp(-1 / tau))
    _close(
        GlobalLocalContrastiveLoss(temperature=tau)(gf, gf.clone()), expected)
    # G = (e1, e1), L = (e1, e2):
    #   G -> L: q=1: logits (1,0)/tau, pos 1/tau -> log(1 + e^{-1/tau})
    #           q=2: logits (1,0)/tau, pos 0     -> log(1 + e^{1/tau})
    #   L -> G: p=1: logits (1,1)/tau -> log 2;  p=2: logits (0,0) -> log 2
    gf = torch.stack([e1, e1])[None]
    lf = torch.stack([e1, e2])[None]
    g2l = 0.5 * (math.log(1 + math.exp(-1 / tau)) +
                 math.log(1 + math.exp(1 / tau)))
    _close(
        GlobalLocalContrastiveLoss(temperature=tau, symmetric=False)(gf, lf),
        g2l)
    _close(
        GlobalLocalContrastiveLoss(temperature=tau)(gf, lf),
        0.5 * (g2l + math.log(2)))


# --------------------------------------------------------------------------
# Random inputs against the literal references.
# --------------------------------------------------------------------------


@pytest.mark.parametrize('symmetric', [False, True])
@pytest.mark.parametrize('n,d,tau', [(2, 3, 0.1), (5, 4, 0.3), (7, 16, 1.)])
def test_instance_matches_reference(symmetric, n, d, tau):
    gen = torch.Generator().manual_seed(n * 100 + d)
    g = torch.randn(n, d, generator=gen, dtype=torch.float64)
    g2 = torch.randn(n, d, generator=gen, dtype=torch.float64)
    loss = InstanceContrastiveLoss(temperature=tau, symmetric=symmetric)
    _close(loss(g, g2), ref_instance_sym(g, g2, tau, symmetric))


@pytest.mark.parametrize('symmetric', [False, True])
@pytest.mark.parametrize('n,p,d,tau', [(1, 2, 3, 0.1), (3, 4, 8, 0.2),
                                       (2, 5, 6, 0.5)])
def test_local_local_matches_reference(symmetric, n, p, d, tau):
    gen = torch.Generator().manual_seed(n * 100 + p * 10 + d)
    l = torch.randn(n, p, d, generator=gen, dtype=torch.float64)  # noqa
    l2 = torch.randn(n, p, d, generator=gen, dtype=torch.float64)
    loss = LocalLocalContrastiveLoss(temperature=tau, symmetric=symmetric)
    _close(loss(l, l2), ref_local_local_sym(l, l2, tau, symmetric))


def test_local_local_only_uses_same_video():
    # Changing video 1 must not change video 0's anchor losses: compare
    # with N=1 on video 0 alone (mean over the videos of equal P).
    gen = torch.Generator().manual_seed(0)
    l = torch.randn(2, 4, 8, generator=gen, dtype=torch.float64)  # noqa
    l2 = torch.randn(2, 4, 8, generator=gen, dtype=torch.float64)
    loss = LocalLocalContrastiveLoss(temperature=0.1)
    full = loss(l, l2)
    _close(full, 0.5 * (loss(l[:1], l2[:1]) + loss(l[1:], l2[1:])))
    # And the instance loss is the local-local loss of a single "video"
    # whose clips are the N videos.
    _close(
        InstanceContrastiveLoss(temperature=0.1)(l[0], l2[0]),
        loss(l[:1], l2[:1]))


@pytest.mark.parametrize('symmetric', [False, True])
@pytest.mark.parametrize('n,p,d,tau', [(1, 2, 3, 0.1), (3, 4, 8, 0.2)])
def test_global_local_matches_reference(symmetric, n, p, d, tau):
    gen = torch.Generator().manual_seed(n * 100 + p * 10 + d)
    gf = torch.randn(n, p, d, generator=gen, dtype=torch.float64)
    lf = torch.randn(n, p, d, generator=gen, dtype=torch.float64)
    loss = GlobalLocalContrastiveLoss(temperature=tau, symmetric=symmetric)
    _close(loss(gf, lf), ref_global_local(gf, lf, tau, symmetric))


# --------------------------------------------------------------------------
# Cosine, not dot product.
# --------------------------------------------------------------------------


def _row_scales(shape, gen):
    # Per-vector positive scales spanning four orders of magnitude.
    return 10**(4 * torch.rand(*shape, 1, generator=gen, dtype=torch.float64) -
                2)


def test_scale_invariance():
    gen = torch.Generator().manual_seed(3)
    g = torch.randn(6, 8, generator=gen, dtype=torch.float64)
    g2 = torch.randn(6, 8, generator=gen, dtype=torch.float64)
    ic = InstanceContrastiveLoss(temperature=0.1, symmetric=True)
    g_s, g2_s = g * _row_scales((6, ), gen), g2 * _row_scales((6, ), gen)
    _close(ic(g, g2), ic(g_s, g2_s))

    # The same check fails for a dot-product InfoNCE (i.e. it is a real
    # test of the cosine similarity).
    def dot_ic(a, b, tau=0.1):
        sim_aa = (a @ a.T / tau).fill_diagonal_(float('-inf'))
        sim_ab = a @ b.T / tau
        logits = torch.cat([sim_aa, sim_ab], 1)
        return (torch.logsumexp(logits, 1) - sim_ab.diagonal()).mean()

    assert not torch.allclose(dot_ic(g, g2), dot_ic(g_s, g2_s))

    l = torch.randn(3, 4, 8, generator=gen, dtype=torch.float64)  # noqa
    l2 = torch.randn(3, 4, 8, generator=gen, dtype=torch.float64)
    ll = LocalLocalContrastiveLoss(temperature=0.1, symmetric=True)
    _close(ll(l, l2),
           ll(l * _row_scales((3, 4), gen), l2 * _row_scales((3, 4), gen)))
    gl = GlobalLocalContrastiveLoss(temperature=0.1)
    _close(gl(l, l2),
           gl(l * _row_scales((3, 4), gen), l2 * _row_scales((3, 4), gen)))


# --------------------------------------------------------------------------
# Gradients.
# --------------------------------------------------------------------------


@pytest.mark.parametrize('symmetric', [False, True])
def test_gradcheck(symmetric):
    gen = torch.Generator().manual_seed(5)

    def rand(*shape):
        return torch.randn(*shape,
                           generator=gen,
                           dtype=torch.float64,
                           requires_grad=True)

    ic = InstanceContrastiveLoss(temperature=0.3, symmetric=symmetric)
    assert torch.autograd.gradcheck(ic, (rand(3, 4), rand(3, 4)))
    ll = LocalLocalContrastiveLoss(temperature=0.3, symmetric=symmetric)
    assert torch.autograd.gradcheck(ll, (rand(2, 3, 4), rand(2, 3, 4)))
    gl = GlobalLocalContrastiveLoss(temperature=0.3, symmetric=symmetric)
    assert torch.autograd.gradcheck(gl, (rand(2, 3, 4), rand(2, 3, 4)))


@pytest.mark.parametrize('symmetric', [False, True])
def test_gradients_match_reference(symmetric):
    gen = torch.Generator().manual_seed(11)
    cases = [
        (InstanceContrastiveLoss(temperature=0.2, symmetric=symmetric),
         lambda a, b: ref_instance_sym(a, b, 0.2, symmetric), (5, 6)),
        (LocalLocalContrastiveLoss(temperature=0.2, symmetric=symmetric),
         lambda a, b: ref_local_local_sym(a, b, 0.2, symmetric), (2, 4, 6)),
        (GlobalLocalContrastiveLoss(temperature=0.2, symmetric=symmetric),
         lambda a, b: ref_global_local(a, b, 0.2, symmetric), (2, 4, 6)),
    ]
    for loss_fn, ref_fn, shape in cases:
        a = torch.randn(*shape, generator=gen, dtype=torch.float64)
        b = torch.randn(*shape, generator=gen, dtype=torch.float64)
        grads = torch.autograd.grad(
            loss_fn(a.requires_grad_(), b.requires_grad_()), (a, b))
        ref_grads = torch.autograd.grad(ref_fn(a, b), (a, b))
        for got, want in zip(grads, ref_grads):
            _close(got, want)


def test_half_precision_inputs_are_upcast():
    gen = torch.Generator().manual_seed(2)
    g = torch.randn(4, 8, generator=gen)
    g2 = torch.randn(4, 8, generator=gen)
    ic = InstanceContrastiveLoss(temperature=0.1)
    out = ic(g.bfloat16(), g2.bfloat16())
    assert out.dtype == torch.float32
    _close(out, ic(g.bfloat16().float(), g2.bfloat16().float()))


# --------------------------------------------------------------------------
# Registry and argument checks.
# --------------------------------------------------------------------------


def test_registry_build():
    ic = MODELS.build(dict(type='InstanceContrastiveLoss', temperature=0.3))
    assert isinstance(ic, InstanceContrastiveLoss)
    assert ic.temperature == 0.3 and not ic.symmetric
    assert ic.gather_distributed
    ll = MODELS.build(
        dict(type='LocalLocalContrastiveLoss', temperature=0.1, loss_weight=2))
    assert isinstance(ll, LocalLocalContrastiveLoss) and ll.loss_weight == 2
    gl = MODELS.build(dict(type='GlobalLocalContrastiveLoss'))
    assert isinstance(gl, GlobalLocalContrastiveLoss) and gl.symmetric


def test_bad_arguments():
    with pytest.raises(ValueError):
        InstanceContrastiveLoss(temperature=0.)
    with pytest.raises(ValueError):
        InstanceContrastiveLoss()(torch.randn(3, 4), torch.randn(2, 4))
    with pytest.raises(ValueError):
        LocalLocalContrastiveLoss()(torch.randn(3, 4), torch.randn(3, 4))
    with pytest.raises(ValueError):
        GlobalLocalContrastiveLoss()(torch.randn(2, 4, 8),
                                     torch.randn(2, 3, 8))


# --------------------------------------------------------------------------
# Distributed equivalence (2 gloo ranks).
#
# Single process: L = (1/N) sum_{i=1..N} l_i(X), X = all N rows of (g, g2).
# Rank r (N/W rows, W = 2) computes L_r = (W/N) sum_{i in r} l_i(gather(X)),
# the mean over its local anchors; the negatives are the gathered rows.
#   * value:  (1/W) sum_r L_r = L.
#   * gather backward all-reduces (sums) the gradient of the gathered tensor
#     and keeps the local slice, so the autograd gradient of rank r's rows
#     is grad_r = sum_s dL_s/dX_r (other ranks' anchors included). Since
#     L = (1/W) sum_s L_s, dL/dX_r = grad_r / W: the raw gradient is W times
#     the single-process one.
#   * DDP averages parameter gradients: (1/W) sum_r J_r^T grad_r
#     = sum_r J_r^T dL/dX_r = dL/dtheta, the single-process gradient. The
#     worker checks this with a real DDP-wrapped linear encoder too.
# --------------------------------------------------------------------------

WORLD_SIZE = 2
N_DIST, D_IN, D_OUT, TAU_DIST = 6, 5, 4, 0.2


def _dist_inputs():
    gen = torch.Generator().manual_seed(1234)
    g = torch.randn(N_DIST, D_OUT, generator=gen, dtype=torch.float64)
    g2 = torch.randn(N_DIST, D_OUT, generator=gen, dtype=torch.float64)
    x = torch.randn(N_DIST, D_IN, generator=gen, dtype=torch.float64)
    x2 = torch.randn(N_DIST, D_IN, generator=gen, dtype=torch.float64)
    return g, g2, x, x2


def _encoder():
    torch.manual_seed(0)
    return nn.Linear(D_IN, D_OUT).double()


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _spawn(fn, args, timeout: float = 120.) -> None:
    """``mp.spawn`` that kills its workers and fails instead of hanging."""
    ctx = mp.spawn(fn, args=args, nprocs=WORLD_SIZE, join=False)
    deadline = time.monotonic() + timeout
    while not ctx.join(timeout=1):
        if time.monotonic() > deadline:
            for proc in ctx.processes:
                if proc.is_alive():
                    proc.kill()
            pytest.fail(f'distributed workers did not finish in {timeout}s')


def _dist_worker(rank, port, out_dir):
    dist.init_process_group('gloo',
                            init_method=f'tcp://127.0.0.1:{port}',
                            rank=rank,
                            world_size=WORLD_SIZE,
                            timeout=datetime.timedelta(seconds=60))
    try:
        g, g2, x, x2 = _dist_inputs()
        n = N_DIST // WORLD_SIZE
        rows = slice(rank * n, (rank + 1) * n)
        results = {}
        for symmetric in (False, True):
            loss_fn = InstanceContrastiveLoss(temperature=TAU_DIST,
                                              symmetric=symmetric)
            # Features as leaves.
            g_loc = g[rows].clone().requires_grad_(True)
            g2_loc = g2[rows].clone().requires_grad_(True)
            loss = loss_fn(g_loc, g2_loc)
            loss.backward()
            # A real DDP step: the encoder's parameter gradients.
            model = nn.parallel.DistributedDataParallel(_encoder())
            feats = model(torch.cat([x[rows], x2[rows]]))
            loss_fn(*feats.chunk(2)).backward()
            results[symmetric] = dict(
                loss=loss.detach(),
                grad_g=g_loc.grad,
                grad_g2=g2_loc.grad,
                param_grads=[p.grad for p in model.module.parameters()])
            # Free the DDP reducer while the process group is alive: its
            # destructor can block once the group has been destroyed.
            del model, feats
            gc.collect()
        torch.save(results, f'{out_dir}/rank{rank}.pt')
        dist.barrier()  # no rank tears down while another still talks
    finally:
        dist.destroy_process_group()


@pytest.fixture(scope='module')
def dist_results(tmp_path_factory):
    """Spawn the 2 gloo ranks once (process start-up dominates the time)."""
    out_dir = tmp_path_factory.mktemp('ic_dist')
    _spawn(_dist_worker, (_free_port(), str(out_dir)))
    return [torch.load(out_dir / f'rank{r}.pt') for r in range(WORLD_SIZE)]


@pytest.mark.parametrize('symmetric', [False, True])
def test_instance_distributed_equivalence(dist_results, symmetric):
    g, g2, x, x2 = _dist_inputs()
    loss_fn = InstanceContrastiveLoss(temperature=TAU_DIST,
                                      symmetric=symmetric)
    g_full = g.clone().requires_grad_(True)
    g2_full = g2.clone().requires_grad_(True)
    loss = loss_fn(g_full, g2_full)
    loss.backward()
    res = [r[symmetric] for r in dist_results]

    # Value: the trainer's mean of the per-rank losses.
    _close(torch.stack([r['loss'] for r in res]).mean(), loss)
    # Features: DDP-averaged gradient (raw / W) of each rank's slice.
    n = N_DIST // WORLD_SIZE
    for rank, r in enumerate(res):
        rows = slice(rank * n, (rank + 1) * n)
        _close(r['grad_g'] / WORLD_SIZE, g_full.grad[rows])
        _close(r['grad_g2'] / WORLD_SIZE, g2_full.grad[rows])
    # Parameters of a DDP-wrapped encoder: identical on all ranks and equal
    # to the single-process gradient on the whole batch.
    model = _encoder()
    loss_fn(*model(torch.cat([x, x2])).chunk(2)).backward()
    for r in res:
        for got, p in zip(r['param_grads'], model.parameters()):
            _close(got, p.grad)
