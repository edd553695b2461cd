"""Speed and memory of the retrieval search against a plain matmul + topk.

Random seeded features (``--num-query`` x ``--dim`` queries, ``--num-gallery``
x ``--dim`` gallery, random labels) are searched for their ``--k`` nearest
gallery items (cosine similarity) by:

- ``reference``: the minimal code a user would write: normalise both sets,
  then per chunk of ``--batch-size`` queries ``(q_chunk @ g.T).topk(k)``
  (the full ``batch_size x N_g`` block at once, no tie handling);
- ``mmssl_topk``: :func:`mmssl.evaluation.functional.topk_neighbours`
  (input checks included);
- ``mmssl_recall``: :func:`retrieval_recall_per_class` with the R@k list
  of ``tools/analysis_tools/retrieval.py`` (``1 5 10 20 50``), exactly as
  ``RetrievalMetric`` calls it (input checks and the recall included);
- ``faiss``: a faiss ``IndexFlatIP`` on L2-normalised float32 features,
  searched in chunks of ``--batch-size`` (when faiss is importable);
- ``mmssl_faiss``: ``topk_neighbours(..., backend='faiss')`` (idem).

Times: the methods are interleaved round-robin (``--repeats`` rounds after
one untimed warm-up round) so load from other processes hits all alike;
the report gives the median and the ratio to ``reference`` per thread
count (``--threads``, ``torch.set_num_threads``; faiss gets as many OpenMP
threads). Memory: the growth of the peak resident set size during one run
of each method (``VmHWM`` after a ``clear_refs`` reset, Linux) over the
resident size before it. Agreement: every method's neighbour set of every
query is checked against the reference's; sets may differ only by
near-ties, i.e. a returned neighbour's float64 similarity must reach the
reference's k-th float64 similarity minus ``--tol``.

Example::

    OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 \\
        python tools/analysis_tools/benchmark_retrieval.py --threads 1 2 \\
        --out work_dirs/benchmark_retrieval.json
"""
import argparse
import os
import statistics
import time

import torch
import torch.nn.functional as F
from tqdm import tqdm

from mmssl.evaluation.functional.retrieval import (retrieval_recall_per_class,
                                                   topk_neighbours)
from mmssl.utils.json_report import emit_json_report

#: The R@k list of tools/analysis_tools/retrieval.py (its DEFAULT_KS).
TOOL_KS = (1, 5, 10, 20, 50)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--num-query', type=int, default=20000)
    parser.add_argument('--num-gallery', type=int, default=20000)
    parser.add_argument('--dim', type=int, default=512)
    parser.add_argument('--num-classes', type=int, default=101)
    parser.add_argument('--k', type=int, default=max(TOOL_KS),
                        help='neighbours (default 50, the largest R@k of '
                        'the retrieval tool)')
    parser.add_argument('--batch-size', type=int, default=1024)
    parser.add_argument('--repeats', type=int, default=3)
    parser.add_argument('--threads', type=int, nargs='+', default=[1])
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--tol', type=float, default=1e-5,
                        help='near-tie tolerance of the agreement check')
    parser.add_argument('--skip-faiss', action='store_true')
    parser.add_argument('--out', help='JSON report path')
    return parser.parse_args(argv)


def reference_topk(query, gallery, k, batch_size):
    """The plain chunked matmul + topk; returns ``(N_q, k)`` indices."""
    query, gallery = F.normalize(query, dim=1), F.normalize(gallery, dim=1)
    return torch.cat([(query[s:s + batch_size] @ gallery.t()).topk(
        k, dim=1).indices for s in range(0, len(query), batch_size)])


def faiss_topk(query, gallery, k, batch_size):
    """Plain faiss ``IndexFlatIP`` search; returns ``(N_q, k)`` indices."""
    import faiss
    faiss.omp_set_num_threads(torch.get_num_threads())
    index = faiss.IndexFlatIP(gallery.shape[1])
    index.add(F.normalize(gallery, dim=1).numpy())
    query = F.normalize(query, dim=1).numpy()
    return torch.cat([
        torch.from_numpy(index.search(query[s:s + batch_size], k)[1])
        for s in range(0, len(query), batch_size)
    ])


def make_methods(args, data):
    q, g, ql, gl = data
    k, bs = args.k, args.batch_size
    methods = dict(
        reference=lambda: reference_topk(q, g, k, bs),
        mmssl_topk=lambda: topk_neighbours(q, g, k, bs)[0],
        mmssl_recall=lambda: retrieval_recall_per_class(
            g, gl, q, ql, ks=TOOL_KS, batch_size=bs))
    try:
        import faiss  # noqa: F401
    except ImportError:
        faiss = None
    if faiss is not None and not args.skip_faiss:
        methods.update(
            faiss=lambda: faiss_topk(q, g, k, bs),
            mmssl_faiss=lambda: topk_neighbours(
                q, g, k, bs, backend='faiss')[0])
    return methods


def _status_kib(field: str) -> float:
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith(field + ':'):
                return float(line.split()[1])
    raise RuntimeError(f'/proc/self/status has no {field}')


def peak_growth_mib(fn):
    """Run ``fn`` once; return (result, peak RSS growth in MiB or None)."""
    try:
        with open('/proc/self/clear_refs', 'w') as f:
            f.write('5')
        base = _status_kib('VmRSS')
    except OSError:
        return fn(), None
    result = fn()
    return result, round((_status_kib('VmHWM') - base) / 1024, 1)


def near_tie_agreement(idx, ref_idx, q, g, tol, chunk=256):
    """Compare neighbour sets with the reference's, in float64.

    Returns:
        dict: ``rows_identical`` (fraction of queries with the same set),
        ``rows_differing`` and ``worst_shortfall``: the largest amount by
        which a returned neighbour's similarity falls below the reference
        k-th similarity (0 if none); ``ok``: it is within ``tol``.
    """
    same = (idx.sort(dim=1).values == ref_idx.sort(dim=1).values).all(1)
    qn = F.normalize(q.double(), dim=1)
    gn = F.normalize(g.double(), dim=1)
    worst = 0.0
    for s in same.logical_not().nonzero()[:, 0].split(chunk):
        if not s.numel():
            continue
        qs = qn[s][:, None, :]
        got = (qs * gn[idx[s]]).sum(-1).min(dim=1).values
        kth = (qs * gn[ref_idx[s]]).sum(-1).min(dim=1).values
        worst = max(worst, float((kth - got).clamp(min=0).max()))
    return dict(
        rows_identical=float(same.double().mean()),
        rows_differing=int((~same).sum()),
        worst_shortfall=worst,
        ok=worst <= tol)


def run(args) -> dict:
    gen = torch.Generator().manual_seed(args.seed)
    data = (torch.randn(args.num_query, args.dim, generator=gen),
            torch.randn(args.num_gallery, args.dim, generator=gen),
            torch.randint(0, args.num_classes, (args.num_query, ),
                          generator=gen),
            torch.randint(0, args.num_classes, (args.num_gallery, ),
                          generator=gen))
    methods = make_methods(args, data)
    report = dict(
        num_query=args.num_query, num_gallery=args.num_gallery,
        dim=args.dim, k=args.k, batch_size=args.batch_size,
        repeats=args.repeats, seed=args.seed, torch=torch.__version__,
        loadavg_before=os.getloadavg(), results={})
    for threads in args.threads:
        torch.set_num_threads(threads)
        times = {name: [] for name in methods}
        memory, outputs = {}, {}
        for name, fn in methods.items():  # warm-up round, also memory
            outputs[name], memory[name] = peak_growth_mib(fn)
        schedule = [name for _ in range(args.repeats) for name in methods]
        for name in tqdm(schedule, desc=f'{threads} thread(s)'):
            start = time.perf_counter()
            methods[name]()
            times[name].append(time.perf_counter() - start)
        ref = statistics.median(times['reference'])
        rows = {}
        for name in methods:
            median = statistics.median(times[name])
            rows[name] = dict(
                median_s=round(median, 3),
                times_s=[round(t, 3) for t in times[name]],
                ratio_to_reference=round(median / ref, 3),
                peak_rss_growth_mib=memory[name])
            if name not in ('reference', 'mmssl_recall'):
                rows[name]['agreement'] = near_tie_agreement(
                    outputs[name], outputs['reference'], data[0], data[1],
                    args.tol)
        report['results'][str(threads)] = rows
    report['loadavg_after'] = os.getloadavg()
    return report


def main(argv=None) -> dict:
    args = parse_args(argv)
    return emit_json_report(run(args), args.out)


if __name__ == '__main__':
    main()
