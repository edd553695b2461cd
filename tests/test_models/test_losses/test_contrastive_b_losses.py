"""CVRL / TDL / RSPNet losses against explicit loops over their equations,
and their 2-rank (gloo) distributed equivalence."""
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
from mmengine.registry import init_default_scope

import mmssl.models  # noqa: F401
from mmssl.models.heads import CVRLHead, RSPNetHead, TDLHead
from mmssl.models.losses import QueueInfoNCELoss, TripletMarginLoss
from mmssl.registry import MODELS


def cos(u, v):
    return torch.dot(u, v) / (u.norm() * v.norm())


def ref_queue_info_nce(q, k, negs, queue, tau):
    """l_i = -log e^{s(q,k)/t} / (e^{s(q,k)/t} + sum_m e^{s(q,n_m)/t}
    + sum_j e^{s(q,m_j)/t}), averaged over i (MoCo Eq. 1 + TDL's n_i)."""
    total = 0.
    for i in range(q.shape[0]):
        num = torch.exp(cos(q[i], k[i]) / tau)
        den = num
        if negs is not None:
            for m in range(negs.shape[1]):
                den = den + torch.exp(cos(q[i], negs[i, m]) / tau)
        if queue is not None:
            for j in range(queue.shape[0]):
                den = den + torch.exp(cos(q[i], queue[j]) / tau)
        total = total - torch.log(num / den)
    return total / q.shape[0]


def ref_triplet_cosine(a, p, n, margin, tau):
    """RSPNet Eq. 2: max(0, margin - (s(a,p) - s(a,n)) / tau), mean."""
    total = 0.
    for i in range(a.shape[0]):
        gap = (cos(a[i], p[i]) - cos(a[i], n[i])) / tau
        total = total + torch.clamp(margin - gap, min=0)
    return total / a.shape[0]


def ref_nt_xent(z1, z2, tau):
    """CVRL Eq. 1 (SimCLR NT-Xent) over the 2N views as anchors."""
    z = torch.cat([z1, z2])
    n = z1.shape[0]
    total = 0.
    for a in range(2 * n):
        pos = (a + n) % (2 * n)
        den = 0.
        for k in range(2 * n):
            if k != a:
                den = den + torch.exp(cos(z[a], z[k]) / tau)
        total = total - torch.log(torch.exp(cos(z[a], z[pos]) / tau) / den)
    return total / (2 * n)


def _close(a, b, **kw):
    torch.testing.assert_close(
        torch.as_tensor(a, dtype=torch.float64),
        torch.as_tensor(b, dtype=torch.float64), **kw)


def _rand(*shape, seed=0):
    gen = torch.Generator().manual_seed(seed)
    return torch.randn(*shape, generator=gen, dtype=torch.float64)


# --------------------------------------------------------------------------
# QueueInfoNCELoss
# --------------------------------------------------------------------------


def test_queue_info_nce_closed_form():
    tau = 0.5
    e = torch.eye(3, dtype=torch.float64)
    # q = k = e_i, queue = {e_0, e_1, e_2}: per anchor the numerator is
    # e^{1/t}, the queue adds e^{1/t} (itself) + 2 * e^0.
    loss = QueueInfoNCELoss(temperature=tau)(e, e.clone(), queue=e.clone())
    _close(loss, math.log((2 * math.exp(1 / tau) + 2) / math.exp(1 / tau)))
    # no negatives at all: log(1) = 0
    _close(QueueInfoNCELoss()(e, e.clone()), 0.0)
    # loss_weight is a multiplier
    _close(
        QueueInfoNCELoss(temperature=tau, loss_weight=3.)(e, e, queue=e),
        3 * math.log((2 * math.exp(1 / tau) + 2) / math.exp(1 / tau)))


@pytest.mark.parametrize('n,m,k,d,tau', [(1, 0, 4, 3, 0.07), (4, 1, 5, 8, 0.2),
                                         (3, 2, 0, 6, 1.0)])
def test_queue_info_nce_matches_reference(n, m, k, d, tau):
    q, pos = _rand(n, d, seed=1), _rand(n, d, seed=2)
    negs = _rand(n, m, d, seed=3) if m else None
    queue = _rand(k, d, seed=4) if k else None
    loss = QueueInfoNCELoss(temperature=tau)(q, pos, negs, queue)
    _close(loss, ref_queue_info_nce(q, pos, negs, queue, tau))


def test_queue_info_nce_gradients_and_logits():
    q, pos, negs, queue = (_rand(3, 4, seed=5), _rand(3, 4, seed=6),
                           _rand(3, 2, 4, seed=7), _rand(6, 4, seed=8))
    fn = QueueInfoNCELoss(temperature=0.3)
    inputs = [t.clone().requires_grad_() for t in (q, pos, negs)]
    grads = torch.autograd.grad(fn(*inputs, queue), inputs)
    ref_inputs = [t.clone().requires_grad_() for t in (q, pos, negs)]
    ref = torch.autograd.grad(
        ref_queue_info_nce(*ref_inputs, queue, 0.3), ref_inputs)
    for got, want in zip(grads, ref):
        _close(got, want)
    assert torch.autograd.gradcheck(
        lambda a, b: fn(a, b, queue=queue),
        (q.clone().requires_grad_(), pos.clone().requires_grad_()))
    logits = fn.logits(q, pos, negs, queue)
    assert logits.shape == (3, 1 + 2 + 6)
    _close(logits[1, 0], cos(q[1], pos[1]) / 0.3)
    _close(logits[1, 2], cos(q[1], negs[1, 1]) / 0.3)
    _close(logits[1, 3 + 4], cos(q[1], queue[4]) / 0.3)


def test_queue_info_nce_bad_arguments():
    with pytest.raises(ValueError, match='temperature'):
        QueueInfoNCELoss(temperature=0)
    fn = QueueInfoNCELoss()
    with pytest.raises(ValueError, match='query and positive'):
        fn(torch.randn(3, 4), torch.randn(2, 4))
    with pytest.raises(ValueError, match='negatives'):
        fn(torch.randn(3, 4), torch.randn(3, 4), torch.randn(3, 4))
    with pytest.raises(ValueError, match='queue'):
        fn(torch.randn(3, 4), torch.randn(3, 4), queue=torch.randn(5, 3))


# --------------------------------------------------------------------------
# TripletMarginLoss
# --------------------------------------------------------------------------


@pytest.mark.parametrize('margin,tau', [(2.0, 0.07), (0.15, 1.0), (0.5, 0.3)])
def test_triplet_cosine_matches_reference(margin, tau):
    a, p, n = _rand(6, 5, seed=1), _rand(6, 5, seed=2), _rand(6, 5, seed=3)
    fn = TripletMarginLoss(margin=margin, metric='cosine', temperature=tau)
    _close(fn(a, p, n), ref_triplet_cosine(a, p, n, margin, tau))
    ins = [t.clone().requires_grad_() for t in (a, p, n)]
    ref_ins = [t.clone().requires_grad_() for t in (a, p, n)]
    for got, want in zip(
            torch.autograd.grad(fn(*ins), ins),
            torch.autograd.grad(
                ref_triplet_cosine(*ref_ins, margin, tau), ref_ins)):
        _close(got, want)


def test_triplet_closed_form_and_authors_margin():
    e0, e1 = torch.eye(2, dtype=torch.float64)
    a, p, n = e0[None], e0[None], e1[None]
    # s(a,p) = 1, s(a,n) = 0: gap 1/tau; RSPNet code: margin 2 on /0.07
    # similarities -> hinge inactive (1/0.07 = 14.3 > 2)
    _close(TripletMarginLoss(margin=2.0, temperature=0.07)(a, p, n), 0.0)
    # swapped positive/negative: 2 + 1/0.07
    _close(
        TripletMarginLoss(margin=2.0, temperature=0.07)(a, n, p),
        2.0 + 1 / 0.07)
    # equivalent cosine margin 0.14 without the temperature
    x = _rand(8, 4, seed=9), _rand(8, 4, seed=10), _rand(8, 4, seed=11)
    _close(
        TripletMarginLoss(margin=2.0, temperature=0.07)(*x) * 0.07,
        TripletMarginLoss(margin=0.14, temperature=1.0)(*x))


def test_triplet_euclidean_equals_torch():
    a, p, n = _rand(7, 5, seed=4), _rand(7, 5, seed=5), _rand(7, 5, seed=6)
    ours = TripletMarginLoss(margin=1.0, metric='euclidean')(a, p, n)
    _close(ours, nn.TripletMarginLoss(margin=1.0, p=2)(a, p, n))
    total = 0.
    for i in range(7):
        d_ap = (a[i] - p[i] + 1e-6).norm()
        d_an = (a[i] - n[i] + 1e-6).norm()
        total = total + torch.clamp(d_ap - d_an + 1.0, min=0)
    _close(ours, total / 7)


def test_triplet_bad_arguments():
    with pytest.raises(ValueError, match='metric'):
        TripletMarginLoss(metric='l1')
    with pytest.raises(ValueError, match='temperature'):
        TripletMarginLoss(temperature=-1)
    with pytest.raises(ValueError, match='anchor, positive and negative'):
        TripletMarginLoss()(torch.randn(3, 4), torch.randn(3, 4),
                            torch.randn(2, 4))


# --------------------------------------------------------------------------
# Heads (loss composition)
# --------------------------------------------------------------------------


@pytest.mark.parametrize('tau', [0.1, 0.5])
def test_cvrl_head_is_nt_xent(tau):
    z1, z2 = _rand(5, 6, seed=1), _rand(5, 6, seed=2)
    head = CVRLHead(
        loss=dict(
            type='InstanceContrastiveLoss', temperature=tau, symmetric=True))
    losses = head.loss(torch.stack([z1, z2], 1))
    _close(losses['loss_contrast'], ref_nt_xent(z1, z2, tau))
    assert 0 <= float(losses['acc_contrast']) <= 1
    # the authors' TF code sums the two directions: loss_weight=2
    head2 = CVRLHead(
        loss=dict(
            type='InstanceContrastiveLoss',
            temperature=tau,
            symmetric=True,
            loss_weight=2.0))
    _close(
        head2.loss(torch.stack([z1, z2], 1))['loss_contrast'],
        2 * ref_nt_xent(z1, z2, tau))
    # identical views are retrieved perfectly
    z = _rand(4, 8, seed=3)
    assert float(head.loss(torch.stack([z, z], 1))['acc_contrast']) == 1.0


def test_tdl_head_losses():
    q, k, n, bank = (_rand(4, 6, seed=1), _rand(4, 6, seed=2),
                     _rand(4, 6, seed=3), _rand(7, 6, seed=4))
    head = TDLHead(
        loss_contrast=dict(type='QueueInfoNCELoss', temperature=0.07),
        loss_triplet=dict(
            type='TripletMarginLoss', metric='euclidean', margin=1.0))
    out = head.loss(q, k, n, bank)
    _close(out['loss_contrast'], ref_queue_info_nce(q, k, n[:, None], bank,
                                                    0.07))
    _close(out['loss_triplet'], nn.TripletMarginLoss(margin=1.0)(q, k, n))
    acc = sum(
        float(cos(q[i], k[i]) > cos(q[i], n[i])) for i in range(4)) / 4
    _close(out['acc_temporal'], acc)
    assert 'loss_triplet' not in TDLHead().loss(q, k, n, bank)


def test_rspnet_head_losses():
    q = dict(appearance=_rand(4, 6, seed=1), speed=_rand(4, 6, seed=2))
    ks = dict(appearance=_rand(4, 6, seed=3), speed=_rand(4, 6, seed=4))
    kd = dict(appearance=_rand(4, 6, seed=5), speed=_rand(4, 6, seed=6))
    bank = _rand(9, 6, seed=7)
    out = RSPNetHead().loss(q, ks, kd, bank)
    _close(out['loss_rsp'],
           ref_triplet_cosine(q['speed'], ks['speed'], kd['speed'], 2.0,
                              0.07))
    # A-VID: one InfoNCE term per positive (same / different speed), summed
    _close(
        out['loss_avid'],
        ref_queue_info_nce(q['appearance'], ks['appearance'], None, bank,
                           0.07) +
        ref_queue_info_nce(q['appearance'], kd['appearance'], None, bank,
                           0.07))
    with pytest.raises(KeyError, match='speed'):
        RSPNetHead().loss(dict(appearance=q['appearance']), ks, kd, bank)


def test_registry_build():
    init_default_scope('mmssl')
    loss = MODELS.build(dict(type='QueueInfoNCELoss', temperature=0.2))
    assert isinstance(loss, QueueInfoNCELoss) and loss.temperature == 0.2
    trip = MODELS.build(dict(type='TripletMarginLoss', margin=2.0))
    assert isinstance(trip, TripletMarginLoss) and trip.metric == 'cosine'


# --------------------------------------------------------------------------
# Distributed equivalence (2 gloo ranks, spawn).
#
# Single process: L = (1/N) sum_i l_i over all N rows. Rank r holds N/W
# rows and returns the mean over them; the queue is the same on both ranks
# and the InfoNCE / triplet losses involve no other rank's rows, the CVRL
# loss gathers the other ranks' rows with gather_with_grad. DDP averages
# the per-rank parameter gradients, so the raw gradient of a rank's rows
# is W times the single-process one (see mmssl/models/utils/gather.py).
# --------------------------------------------------------------------------

WORLD_SIZE = 2
N_DIST, D_IN, D_OUT = 6, 5, 4


def _dist_inputs():
    gen = torch.Generator().manual_seed(4321)

    def r(*s):
        return torch.randn(*s, generator=gen, dtype=torch.float64)

    return dict(
        q=r(N_DIST, D_OUT),
        k=r(N_DIST, D_OUT),
        n=r(N_DIST, D_OUT),
        bank=r(7, D_OUT),
        x=r(N_DIST, D_IN),
        x2=r(N_DIST, D_IN))


def _encoder():
    torch.manual_seed(0)
    return nn.Linear(D_IN, D_OUT).double()


def _losses():
    """name -> callable(q, k, n, bank) on (rows, D) tensors."""
    info = QueueInfoNCELoss(temperature=0.2)
    trip = TripletMarginLoss(margin=0.5, temperature=0.5)
    cvrl = CVRLHead(
        loss=dict(
            type='InstanceContrastiveLoss', temperature=0.1, symmetric=True))
    return dict(
        queue_info_nce=lambda q, k, n, bank: info(q, k, n[:, None], bank),
        triplet=lambda q, k, n, bank: trip(q, k, n),
        cvrl=lambda q, k, n, bank: cvrl.loss(torch.stack([q, k], 1))[
            'loss_contrast'])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _spawn(fn, args, timeout: float = 180.) -> None:
    ctx = mp.spawn(fn, args=args, nprocs=WORLD_SIZE, join=False)
    deadline = time.monotonic() + timeout
    while not ctx.join(timeout=1):
        if time.monotonic() > deadline:
            for proc in ctx.processes:
                if proc.is_alive():
                    proc.kill()
            pytest.fail(f'distributed workers did not finish in {timeout}s')


def _dist_worker(rank, port, out_dir):
    dist.init_process_group(
        'gloo',
        init_method=f'tcp://127.0.0.1:{port}',
        rank=rank,
        world_size=WORLD_SIZE,
        timeout=datetime.timedelta(seconds=60))
    try:
        data = _dist_inputs()
        rows = slice(rank * N_DIST // WORLD_SIZE,
                     (rank + 1) * N_DIST // WORLD_SIZE)
        results = {}
        for name, fn in _losses().items():
            q, k, n = (data[key][rows].clone().requires_grad_()
                       for key in ('q', 'k', 'n'))
            loss = fn(q, k, n, data['bank'])
            loss.backward()
            model = nn.parallel.DistributedDataParallel(_encoder())
            feats = model(torch.cat([data['x'][rows], data['x2'][rows]]))
            f1, f2 = feats.chunk(2)
            fn(f1, f2, f2.flip(0), data['bank']).backward()
            results[name] = dict(
                loss=loss.detach(),
                grads=[q.grad, k.grad, n.grad],
                param_grads=[p.grad for p in model.module.parameters()])
            del model, feats
            gc.collect()
        torch.save(results, f'{out_dir}/rank{rank}.pt')
        dist.barrier()
    finally:
        dist.destroy_process_group()


@pytest.fixture(scope='module')
def dist_results(tmp_path_factory):
    out_dir = tmp_path_factory.mktemp('contrastive_b_dist')
    _spawn(_dist_worker, (_free_port(), str(out_dir)))
    return [torch.load(out_dir / f'rank{r}.pt') for r in range(WORLD_SIZE)]


@pytest.mark.parametrize('name', ['queue_info_nce', 'triplet', 'cvrl'])
def test_distributed_equivalence(dist_results, name):
    data = _dist_inputs()
    fn = _losses()[name]
    q, k, n = (data[key].clone().requires_grad_() for key in ('q', 'k', 'n'))
    loss = fn(q, k, n, data['bank'])
    loss.backward()
    res = [r[name] for r in dist_results]
    _close(torch.stack([r['loss'] for r in res]).mean(), loss)
    per = N_DIST // WORLD_SIZE
    for rank, r in enumerate(res):
        rows = slice(rank * per, (rank + 1) * per)
        for got, full in zip(r['grads'], (q, k, n)):
            if full.grad is None:  # e.g. the CVRL loss does not use n
                assert got is None
                continue
            _close(got / WORLD_SIZE, full.grad[rows])
    # a DDP-wrapped encoder gets the single-process gradient on all ranks
    # (per-rank pairs built from local rows: the same pairs as one process
    # for losses without cross-row terms; the CVRL loss gathers the rows)
    model = _encoder()
    x, x2 = data['x'], data['x2']
    if name == 'cvrl':
        feats = model(torch.cat([x, x2]))
        f1, f2 = feats.chunk(2)
        fn(f1, f2, f2, data['bank']).backward()
    else:
        # the negative of a row is its partner within the rank's chunk
        parts = []
        for rank in range(WORLD_SIZE):
            rows = slice(rank * per, (rank + 1) * per)
            f1, f2 = model(x[rows]), model(x2[rows])
            parts.append((f1, f2, f2.flip(0)))
        cat = [torch.cat(t) for t in zip(*parts)]
        fn(*cat, data['bank']).backward()
    for r in res:
        for got, p in zip(r['param_grads'], model.parameters()):
            _close(got, p.grad)
