"""Momentum encoder, feature queue, batch shuffle and the post-step DDP
wrapper: exact single-process behaviour and 2-rank (gloo) agreement."""
import copy
import datetime
import gc
import socket
import time

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
import torch.nn as nn
from mmaction.structures import ActionDataSample
from mmengine.optim import OptimWrapper
from mmengine.registry import init_default_scope

import mmssl.models  # noqa: F401
from mmssl.models.utils import (FeatureQueue, MomentumEncoder,
                                SSLDistributedDataParallel,
                                batch_shuffle_ddp, batch_unshuffle_ddp)
from mmssl.registry import MODELS

# --------------------------------------------------------------------------
# MomentumEncoder
# --------------------------------------------------------------------------


def _online():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4)).double()


def test_momentum_encoder_copies_and_freezes():
    online = _online()
    enc = MomentumEncoder(dict(backbone=online, neck=None), momentum=0.9)
    assert enc.names == ('backbone', )
    for (name, p_q), (_, p_k) in zip(online.named_parameters(),
                                     enc.backbone.named_parameters()):
        assert torch.equal(p_q, p_k) and p_k is not p_q
        assert not p_k.requires_grad and p_q.requires_grad
    assert set(enc.state_dict()) == {
        f'backbone.{k}'
        for k in online.state_dict()
    }


def test_momentum_update_formula_exact():
    online = _online()
    enc = MomentumEncoder(dict(backbone=online), momentum=0.75)
    old = [p.detach().clone() for p in enc.backbone.parameters()]
    with torch.no_grad():
        for p in online.parameters():
            p.mul_(-2.0).add_(0.5)
    enc.update(dict(backbone=online))
    for p_k, p_old, p_q in zip(enc.backbone.parameters(), old,
                               online.parameters()):
        # theta_k = m * theta_k + (1 - m) * theta_q, same float64 ops
        torch.testing.assert_close(
            p_k, 0.75 * p_old + 0.25 * p_q, rtol=0, atol=1e-15)
    # exactly representable case: m = 0.5, 1.0 and 3.0 -> 2.0
    a, b = nn.Linear(2, 2, bias=False), nn.Linear(2, 2, bias=False)
    with torch.no_grad():
        a.weight.fill_(3.0)
    enc = MomentumEncoder(dict(neck=b), momentum=0.5)
    with torch.no_grad():
        enc.neck.weight.fill_(1.0)
    enc.update(dict(neck=a))
    assert torch.equal(enc.neck.weight, torch.full((2, 2), 2.0))
    enc.update(dict(neck=a))
    assert torch.equal(enc.neck.weight, torch.full((2, 2), 2.5))


def test_momentum_zero_one_buffers_and_sync():
    online = _online()
    enc0 = MomentumEncoder(dict(backbone=online), momentum=0.0)
    enc1 = MomentumEncoder(dict(backbone=online), momentum=1.0)
    frozen = [p.clone() for p in enc1.backbone.parameters()]
    online.train()(torch.randn(5, 3, dtype=torch.float64))  # BN stats move
    with torch.no_grad():
        for p in online.parameters():
            p.add_(1.0)
    enc0.update(dict(backbone=online))
    enc1.update(dict(backbone=online))
    for p0, p1, p_q, p_f in zip(enc0.backbone.parameters(),
                                enc1.backbone.parameters(),
                                online.parameters(), frozen):
        assert torch.equal(p0, p_q) and torch.equal(p1, p_f)
    # buffers stay the key encoder's own unless copy_buffers
    bn_q, bn_k = online[1], enc0.backbone[1]
    assert not torch.equal(bn_q.running_mean, bn_k.running_mean)
    enc_b = MomentumEncoder(
        dict(backbone=_online()), momentum=0.9, copy_buffers=True)
    enc_b.update(dict(backbone=online))
    assert torch.equal(enc_b.backbone[1].running_mean, bn_q.running_mean)
    enc1.sync(dict(backbone=online))
    for k, v in online.state_dict().items():
        assert torch.equal(enc1.backbone.state_dict()[k], v)


def test_momentum_encoder_errors():
    with pytest.raises(ValueError, match='momentum'):
        MomentumEncoder(dict(backbone=_online()), momentum=1.5)
    with pytest.raises(ValueError, match='at least one'):
        MomentumEncoder(dict(backbone=None))
    enc = MomentumEncoder(dict(backbone=_online()))
    with pytest.raises(KeyError, match='backbone'):
        enc.update(dict(neck=_online()))


# --------------------------------------------------------------------------
# FeatureQueue
# --------------------------------------------------------------------------


def _keys(n, d=2, start=0):
    return torch.arange(start, start + n * d, dtype=torch.float32).view(n, d)


def test_queue_enqueue_pointer_wrap_around_exact():
    torch.manual_seed(0)
    q = FeatureQueue(5, 2)
    init = q.queue.clone()
    torch.testing.assert_close(q.queue.norm(dim=1), torch.ones(5))
    assert q.ptr.tolist() == [0] and q.ptr.dtype == torch.long
    q.enqueue(_keys(3), gather=False)  # rows 0..2
    assert q.ptr.tolist() == [3]
    assert torch.equal(q.queue[:3], _keys(3))
    assert torch.equal(q.queue[3:], init[3:])
    q.enqueue(_keys(4, start=100), gather=False)  # rows 3, 4, 0, 1
    assert q.ptr.tolist() == [2]
    k = _keys(4, start=100)
    expected = torch.stack([k[2], k[3], _keys(3)[2], k[0], k[1]])
    assert torch.equal(q.queue, expected)
    # more keys than the queue: the last K stay, as sequential writes
    big = _keys(7, start=1000)
    q.enqueue(big, gather=False)  # key i -> row (2 + i) % 5
    assert q.ptr.tolist() == [(2 + 7) % 5]
    assert torch.equal(q.queue, torch.stack([big[3], big[4], big[5], big[6],
                                             big[2]]))


def test_queue_stage_flush_and_state_dict():
    a, b = FeatureQueue(6, 2), FeatureQueue(6, 2)
    b.load_state_dict(a.state_dict())
    a.stage(_keys(2))
    a.stage(_keys(3, start=50))
    assert a.num_staged == 2 and a.ptr.item() == 0  # nothing written yet
    assert a.flush(gather=False) == 5 and a.num_staged == 0
    b.enqueue(torch.cat([_keys(2), _keys(3, start=50)]), gather=False)
    assert torch.equal(a.queue, b.queue) and torch.equal(a.ptr, b.ptr)
    assert a.flush(gather=False) == 0  # nothing staged: no-op
    assert set(a.state_dict()) == {'queue', 'ptr'}
    c = FeatureQueue(6, 2)
    c.load_state_dict(a.state_dict())
    assert torch.equal(c.queue, a.queue) and c.ptr.item() == 5


def test_queue_errors():
    with pytest.raises(ValueError, match='size'):
        FeatureQueue(0, 2)
    q = FeatureQueue(4, 2, max_staged=2)
    with pytest.raises(ValueError, match=r'\(n, 2\)'):
        q.enqueue(torch.zeros(3, 5), gather=False)
    q.stage(_keys(1))
    q.stage(_keys(1))
    with pytest.raises(RuntimeError, match='SSLDistributedDataParallel'):
        q.stage(_keys(1))


def test_batch_shuffle_single_process_is_noop():
    x = torch.randn(4, 3)
    y, idx = batch_shuffle_ddp(x)
    assert y is x and idx is None
    assert batch_unshuffle_ddp(x, None) is x


# --------------------------------------------------------------------------
# Once per optimizer step under gradient accumulation (single process)
# --------------------------------------------------------------------------

TINY = dict(
    type='ResNet3d',
    depth=18,
    stage_blocks=(1, 1, 1, 1),
    base_channels=4,
    pretrained=None,
    pretrained2d=False,
    conv1_stride_t=1,
    pool1_stride_t=1,
    inflate=(1, 1, 1, 1))


def build_tdl(momentum=0.5, queue_size=8):
    init_default_scope('mmssl')
    torch.manual_seed(0)
    model = MODELS.build(
        dict(
            type='TDL',
            backbone=TINY,
            neck=dict(
                type='MLPProjectionNeck', in_channels=None, out_channels=8),
            head=dict(type='TDLHead'),
            queue_size=queue_size,
            momentum=momentum))
    model.init_weights()
    return model


def tdl_batch(num_videos=2, seed=0):
    gen = torch.Generator().manual_seed(seed)
    return dict(
        inputs=[
            torch.randint(0, 255, (3, 3, 8, 16, 16), generator=gen).float()
            for _ in range(num_videos)
        ],
        data_samples=[ActionDataSample() for _ in range(num_videos)])


def test_momentum_and_queue_once_per_optimizer_step():
    model = build_tdl(momentum=0.5)
    params = [p for p in model.parameters() if p.requires_grad]
    wrapper = OptimWrapper(
        torch.optim.SGD(params, lr=0.1), accumulative_counts=2)
    wrapper.initialize_count_status(model, 0, 4)
    key_w = model.momentum_encoder.neck.mlp[0].weight
    before = key_w.clone()
    model.train_step(tdl_batch(seed=1), wrapper)  # 1st of 2: no step
    assert torch.equal(key_w, before)
    assert model.queue.ptr.item() == 0 and model.queue.num_staged == 1
    online_before_step = model.neck.mlp[0].weight.detach().clone()
    model.train_step(tdl_batch(seed=2), wrapper)  # step
    online = model.neck.mlp[0].weight.detach()
    assert not torch.equal(online, online_before_step)
    torch.testing.assert_close(
        key_w, 0.5 * before + 0.5 * online, rtol=0, atol=1e-7)
    assert model.queue.ptr.item() == 4 and model.queue.num_staged == 0


class RecordingOptimWrapper(OptimWrapper):
    """Keeps a copy of the gradients the optimizer steps with."""

    def step(self, **kwargs):
        self.stepped_grads = {
            name: p.grad.detach().clone()
            for name, p in self._named_params
        }
        super().step(**kwargs)


def _recording_wrapper(model, accumulative_counts, num_iters):
    named = [(n, p) for n, p in model.named_parameters() if p.requires_grad]
    wrapper = RecordingOptimWrapper(
        torch.optim.SGD([p for _, p in named], lr=0.5),
        accumulative_counts=accumulative_counts)
    wrapper._named_params = named
    wrapper.initialize_count_status(model, 0, num_iters)
    return wrapper


def _cat_batches(*batches):
    return dict(
        inputs=[x for b in batches for x in b['inputs']],
        data_samples=[s for b in batches for s in b['data_samples']])


def test_accumulation_equals_one_large_batch_for_queue_negatives():
    """TDL (queue negatives, per-sample InfoNCE): 2 accumulation steps of
    batch 2 step with the gradient of one batch of 4 and leave the same
    momentum encoder and queue. BN must not couple the samples, so the
    BN layers use running statistics (eval mode); with batch
    statistics the two differ as BN's statistics do."""
    model = build_tdl(momentum=0.5, queue_size=8)
    for module in model.modules():  # running statistics (backbone and neck)
        if isinstance(module, nn.modules.batchnorm._BatchNorm):
            module.eval()
    large = copy.deepcopy(model)
    first, second = tdl_batch(seed=1), tdl_batch(seed=2)
    accumulating = _recording_wrapper(model, 2, 2)
    model.train_step(first, accumulating)
    assert not hasattr(accumulating, 'stepped_grads')  # no step yet
    model.train_step(second, accumulating)
    one_step = _recording_wrapper(large, 1, 1)
    large.train_step(_cat_batches(first, second), one_step)
    grads, ref = accumulating.stepped_grads, one_step.stepped_grads
    assert grads.keys() == ref.keys() and len(grads) > 10
    for name in ref:
        torch.testing.assert_close(
            grads[name], ref[name], rtol=1e-4, atol=1e-6, msg=name)
    for a, b in zip(model.state_dict().items(), large.state_dict().items()):
        assert a[0] == b[0]
        torch.testing.assert_close(a[1], b[1], rtol=1e-4, atol=1e-6)
    assert model.queue.ptr.item() == large.queue.ptr.item() == 4


def test_accumulation_differs_with_in_batch_negatives():
    """InstanceContrastiveLoss (TCLR / STCLR / CVRL style) takes negatives
    from the batch: the mean of two half-batch losses is a different
    function (fewer negatives) than the loss of the whole batch, so
    accumulation does not reproduce a large batch. The queue loss of the
    same embeddings does (its negatives do not depend on the batch)."""
    from mmssl.models.losses import InstanceContrastiveLoss, QueueInfoNCELoss
    torch.manual_seed(0)
    g = torch.randn(4, 8, dtype=torch.float64, requires_grad=True)
    g2 = torch.randn(4, 8, dtype=torch.float64, requires_grad=True)
    queue = torch.randn(16, 8, dtype=torch.float64)

    def grads(loss_fn, halves):
        if halves:
            loss = 0.5 * (loss_fn(g[:2], g2[:2]) + loss_fn(g[2:], g2[2:]))
        else:
            loss = loss_fn(g, g2)
        return torch.autograd.grad(loss, (g, g2))

    in_batch = InstanceContrastiveLoss(gather_distributed=False)
    assert not torch.allclose(grads(in_batch, True)[0],
                              grads(in_batch, False)[0])
    queue_loss = QueueInfoNCELoss()

    def with_queue(q, k):
        return queue_loss(q, k, queue=queue)

    for a, b in zip(grads(with_queue, True), grads(with_queue, False)):
        torch.testing.assert_close(a, b, rtol=0, atol=1e-12)


# --------------------------------------------------------------------------
# 2 gloo ranks: queue agreement, shuffle inverse, the DDP wrapper
# --------------------------------------------------------------------------

WORLD_SIZE = 2


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _spawn(fn, args, timeout: float = 240.) -> None:
    ctx = mp.spawn(fn, args=args, nprocs=WORLD_SIZE, join=False)
    deadline = time.monotonic() + timeout
    while not ctx.join(timeout=1):
        if time.monotonic() > deadline:
            for proc in ctx.processes:
                if proc.is_alive():
                    proc.kill()
            pytest.fail(f'distributed workers did not finish in {timeout}s')


def _rank_keys(rank, step):
    return _keys(3, d=4, start=1000 * step + 100 * rank)


def _worker(rank, port, out_dir):
    dist.init_process_group(
        'gloo',
        init_method=f'tcp://127.0.0.1:{port}',
        rank=rank,
        world_size=WORLD_SIZE,
        timeout=datetime.timedelta(seconds=120))
    try:
        out = {}
        # queue: each rank stages its own keys; flush all-gathers
        torch.manual_seed(0)
        queue = FeatureQueue(8, 4)
        out['queue_init'] = queue.queue.clone()
        for step in range(2):  # 6 keys per step: wraps at the 2nd step
            queue.stage(_rank_keys(rank, step))
            queue.flush()
        out['queue'], out['ptr'] = queue.queue.clone(), queue.ptr.clone()
        # batch shuffle: rows carry (rank, index) ids
        x = torch.stack([torch.tensor([rank, i, 10 * rank + i],
                                      dtype=torch.float64)
                         for i in range(4)])
        shuffled, idx = batch_shuffle_ddp(
            x, generator=torch.Generator().manual_seed(3))
        out['shuffled'] = shuffled
        out['restored'] = batch_unshuffle_ddp(shuffled * 2 + 1, idx)
        out['x'] = x
        try:
            batch_shuffle_ddp(torch.zeros(3 if rank == 0 else 2, 1))
            out['unequal_error'] = None
        except ValueError as err:
            out['unequal_error'] = str(err)
        # whole TDL step under the post-step DDP wrapper (different data per
        # rank): every rank must enqueue the same gathered keys
        model = build_tdl(momentum=0.5, queue_size=16)
        ddp = SSLDistributedDataParallel(module=model, device_ids=None)
        wrapper = OptimWrapper(
            torch.optim.SGD(
                [p for p in model.parameters() if p.requires_grad], lr=0.1))
        before = model.momentum_encoder.neck.mlp[0].weight.clone()
        ddp.train_step(tdl_batch(seed=10 + rank), wrapper)
        out['tdl_queue'] = model.queue.queue.clone()
        out['tdl_ptr'] = model.queue.ptr.clone()
        out['tdl_key_moved'] = not torch.equal(
            before, model.momentum_encoder.neck.mlp[0].weight)
        out['tdl_online'] = model.neck.mlp[0].weight.detach().clone()
        out['tdl_key'] = model.momentum_encoder.neck.mlp[0].weight.clone()
        del ddp
        # gradient accumulation under DDP: the update waits for the step
        model = build_tdl(momentum=0.5, queue_size=16)
        ddp = SSLDistributedDataParallel(module=model, device_ids=None)
        wrapper = OptimWrapper(
            torch.optim.SGD(
                [p for p in model.parameters() if p.requires_grad], lr=0.1),
            accumulative_counts=2)
        wrapper.initialize_count_status(model, 0, 2)
        key_w = model.momentum_encoder.neck.mlp[0].weight
        before = key_w.clone()
        ddp.train_step(tdl_batch(seed=20 + rank), wrapper)
        out['accum_first'] = (torch.equal(before, key_w),
                              model.queue.ptr.item(), model.queue.num_staged)
        ddp.train_step(tdl_batch(seed=30 + rank), wrapper)
        out['accum_second'] = (torch.equal(before, key_w),
                               model.queue.ptr.item(), model.queue.num_staged)
        del ddp
        gc.collect()
        torch.save(out, f'{out_dir}/rank{rank}.pt')
        dist.barrier()
    finally:
        dist.destroy_process_group()


@pytest.fixture(scope='module')
def dist_out(tmp_path_factory):
    out_dir = tmp_path_factory.mktemp('momentum_queue_dist')
    _spawn(_worker, (_free_port(), str(out_dir)))
    return [torch.load(out_dir / f'rank{r}.pt') for r in range(WORLD_SIZE)]


def test_distributed_queue_agrees_and_holds_gathered_keys(dist_out):
    r0, r1 = dist_out
    assert torch.equal(r0['queue'], r1['queue'])
    assert torch.equal(r0['ptr'], r1['ptr']) and r0['ptr'].item() == 12 % 8
    # single-process reference: the gathered keys in rank order
    ref = FeatureQueue(8, 4)
    ref.queue.copy_(r0['queue_init'])
    for step in range(2):
        ref.enqueue(
            torch.cat([_rank_keys(r, step) for r in range(WORLD_SIZE)]),
            gather=False)
    assert torch.equal(r0['queue'], ref.queue)


def test_distributed_batch_shuffle_is_exact_inverse(dist_out):
    all_x = torch.cat([r['x'] for r in dist_out])
    shuffled = torch.cat([r['shuffled'] for r in dist_out])
    # a permutation of the global batch ...
    assert sorted(map(tuple, shuffled.tolist())) == sorted(
        map(tuple, all_x.tolist()))
    # ... that moves samples across ranks ...
    assert any(row[0] != 0 for row in dist_out[0]['shuffled'].tolist())
    # ... and unshuffle restores every rank's own order exactly
    for r in dist_out:
        assert torch.equal(r['restored'], r['x'] * 2 + 1)
    for r in dist_out:
        assert 'same batch size on every rank' in r['unequal_error']


def test_distributed_wrapper_updates_once_and_queues_agree(dist_out):
    r0, r1 = dist_out
    assert r0['tdl_key_moved'] and r1['tdl_key_moved']
    assert torch.equal(r0['tdl_queue'], r1['tdl_queue'])
    assert r0['tdl_ptr'].item() == r1['tdl_ptr'].item() == 4  # 2 x 2 keys
    # DDP keeps the online weights in sync, hence the key encoders too
    assert torch.equal(r0['tdl_online'], r1['tdl_online'])
    assert torch.equal(r0['tdl_key'], r1['tdl_key'])


def test_distributed_accumulation_updates_once_per_step(dist_out):
    for r in dist_out:
        assert r['accum_first'] == (True, 0, 1)  # no step, keys staged
        # one step: key encoder moved, 2 ranks x 2 windows x 2 videos queued
        assert r['accum_second'] == (False, 8, 0)
