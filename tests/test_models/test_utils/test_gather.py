"""Tests of mmssl.models.utils.gather (single process and 2-rank gloo)."""
import datetime
import socket
import time

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from mmssl.models.utils.gather import (concat_all_gather, gather_with_grad,
                                       gather_with_grad_and_slice,
                                       get_rank_slice)

WORLD_SIZE = 2


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


def test_not_distributed_is_identity():
    x = torch.randn(3, 4, requires_grad=True)
    assert gather_with_grad(x) is x
    y, rows = gather_with_grad_and_slice(x)
    assert y is x and rows == slice(0, 3)
    out = concat_all_gather(x)
    assert not out.requires_grad and torch.equal(out, x)
    assert get_rank_slice(3) == slice(0, 3)


def _as_tuple(rows: slice) -> tuple:
    return rows.start, rows.stop


SCENARIOS = dict(equal=[2, 2], unequal=[3, 1])


def _worker(rank, port, out_dir):
    dist.init_process_group('gloo',
                            init_method=f'tcp://127.0.0.1:{port}',
                            rank=rank,
                            world_size=WORLD_SIZE,
                            timeout=datetime.timedelta(seconds=60))
    try:
        results = {}
        for name, sizes in SCENARIOS.items():
            total = sum(sizes)
            full = torch.arange(total * 3, dtype=torch.float64).view(total, 3)
            start = sum(sizes[:rank])
            x = full[start:start + sizes[rank]].clone().requires_grad_(True)

            y, rows = gather_with_grad_and_slice(x)
            y2 = gather_with_grad(x)
            # A rank-dependent weighting, so the ranks' losses differ.
            weight = torch.full_like(full, float(rank + 1))
            weight[:, 1] = -2.0 * (rank + 1)
            (y * weight).sum().backward()
            results[name] = dict(gathered=y.detach(),
                                 gathered2=y2.detach(),
                                 rows=_as_tuple(rows),
                                 slice_helper=_as_tuple(
                                     get_rank_slice(sizes[rank])),
                                 no_grad=concat_all_gather(x),
                                 grad=x.grad)
        torch.save(results, f'{out_dir}/rank{rank}.pt')
        dist.barrier()  # no rank tears down while another still talks
    finally:
        dist.destroy_process_group()


@pytest.fixture(scope='module')
def dist_results(tmp_path_factory):
    """Spawn the 2 gloo ranks once (process start-up dominates the time)."""
    out_dir = tmp_path_factory.mktemp('gather')
    _spawn(_worker, (_free_port(), str(out_dir)))
    return [torch.load(out_dir / f'rank{r}.pt') for r in range(WORLD_SIZE)]


def _check(results, sizes):
    total = sum(sizes)
    full = torch.arange(total * 3, dtype=torch.float64).view(total, 3)
    # d/dx_r of sum_s <gather(x), w_s> = sum_s w_s[rows of r]  (all-reduce)
    summed_weight = torch.zeros_like(full)
    for s in range(WORLD_SIZE):
        w = torch.full_like(full, float(s + 1))
        w[:, 1] = -2.0 * (s + 1)
        summed_weight += w
    start = 0
    for res, n in zip(results, sizes):
        assert torch.equal(res['gathered'], full)
        assert torch.equal(res['gathered2'], full)
        assert torch.equal(res['no_grad'], full)
        assert not res['no_grad'].requires_grad
        assert res['rows'] == (start, start + n)
        assert res['slice_helper'] == (start, start + n)
        torch.testing.assert_close(res['grad'], summed_weight[start:start + n])
        start += n


@pytest.mark.parametrize('name', list(SCENARIOS))
def test_gather_with_grad_two_ranks(dist_results, name):
    _check([res[name] for res in dist_results], SCENARIOS[name])
