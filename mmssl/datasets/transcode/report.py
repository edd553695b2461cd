"""Report of a transcoding run: size change and decode-speed change.

Decode speed is measured the way training reads a video: the pipeline's
default backend and access pattern (the defaults of ``SafeDecordInit`` and
``DecordDecodeUnion``) open the file and read the 10-sparse-clip index set
of the frame-accuracy check (16-frame clips at stride 4 spread over the
video); inputs and outputs are timed interleaved, best of ``repeat``. A file
the default backend refuses (decord: MPEG-PS) is timed with PyAV for both.
"""
import inspect
import os.path as osp
import statistics
import time
from typing import Dict, List

from ..transforms.decode_backends import open_video
from ..transforms.decode_backends.accuracy import index_sets
from ..transforms.loading import DecordDecodeUnion, SafeDecordInit


def pipeline_defaults() -> Dict[str, str]:
    """Default ``backend`` and ``access`` of the decode transforms."""
    return dict(
        backend=inspect.signature(SafeDecordInit).parameters['backend']
        .default,
        access=inspect.signature(DecordDecodeUnion).parameters['access']
        .default)


def time_read(path: str, backend: str, access: str, indices,
              repeat: int) -> float:
    """Best-of-``repeat`` seconds to open ``path`` and read ``indices``."""
    best = float('inf')
    for _ in range(repeat):
        start = time.perf_counter()
        with open_video(path, backend) as source:
            source.read(indices, access)
        best = min(best, time.perf_counter() - start)
    return best


def decode_speed(src_root: str, dst_root: str, records: List[Dict],
                 num_samples: int = 8, repeat: int = 2) -> List[Dict]:
    """Decode time of inputs vs outputs for an even sample of ``records``.

    Returns:
        list[dict]: per file ``rel``, ``backend``, ``src_ms``, ``dst_ms``,
        ``ratio`` (dst / src), or ``error``.
    """
    done = sorted((r for r in records if r['status'] == 'done'),
                  key=lambda r: r['rel'])
    step = max(1, len(done) / max(num_samples, 1))
    sample = [done[int(i * step)] for i in range(min(num_samples, len(done)))]
    defaults = pipeline_defaults()
    rows = []
    for record in sample:
        paths = (osp.join(src_root, record['rel']),
                 osp.join(dst_root, record.get('dst_rel', record['rel'])))
        indices = index_sets(record['src_frames'], num_sets=2)[1]
        row = dict(rel=record['rel'])
        for backend in (defaults['backend'], 'pyav'):
            try:
                src_s, dst_s = (time_read(p, backend, defaults['access'],
                                          indices, repeat) for p in paths)
            except Exception as err:  # refused / unreadable by the backend
                row['error'] = f'{backend}: {type(err).__name__}: {err}'
                continue
            row.update(backend=backend, src_ms=1000 * src_s,
                       dst_ms=1000 * dst_s, ratio=dst_s / src_s)
            row.pop('error', None)
            break
        rows.append(row)
    return rows


def build_report(manifest: Dict, speed_rows: List[Dict]) -> Dict:
    """Totals over the manifest's videos and the decode-speed sample."""
    videos = manifest['videos'].values()
    done = [v for v in videos if v['status'] == 'done']
    src_bytes = sum(v['src_bytes'] for v in done)
    dst_bytes = sum(v['dst_bytes'] for v in done)
    timed = [r for r in speed_rows if 'ratio' in r]
    run = manifest.get('run', {})
    return dict(
        settings=manifest['settings'],
        num_videos=len(manifest['videos']),
        num_done=len(done),
        num_failed=len(manifest['videos']) - len(done),
        failed={v['rel']: v['error'] for v in videos
                if v['status'] != 'done'},
        this_run={k: len(v) for k, v in run.items()},
        src_mb=src_bytes / 2**20,
        dst_mb=dst_bytes / 2**20,
        size_ratio=dst_bytes / src_bytes if src_bytes else None,
        decode=dict(
            **pipeline_defaults(),
            index_set='10 sparse clips (16 frames, stride 4)',
            files=speed_rows,
            median_ratio=statistics.median(r['ratio'] for r in timed)
            if timed else None,
            total_src_ms=sum(r['src_ms'] for r in timed),
            total_dst_ms=sum(r['dst_ms'] for r in timed)))


def format_report(report: Dict) -> str:
    """Printable table of :func:`build_report`'s output."""
    lines = [
        f"videos: {report['num_videos']} ({report['num_done']} done, "
        f"{report['num_failed']} failed; this run: {report['this_run']})",
        f"size: {report['src_mb']:.2f} MB -> {report['dst_mb']:.2f} MB "
        f"(x{_fmt(report['size_ratio'])})",
        f"decode ({report['decode']['backend']} "
        f"{report['decode']['access']}, {report['decode']['index_set']}): "
        f"median time ratio output/input x"
        f"{_fmt(report['decode']['median_ratio'])}",
        f"| {'file':40s} | backend | input ms | output ms | ratio |",
        f"|{'-' * 42}|---------|----------|-----------|-------|"]
    for row in report['decode']['files']:
        if 'ratio' in row:
            lines.append(f"| {row['rel'][-40:]:40s} | {row['backend']:7s} | "
                         f"{row['src_ms']:8.1f} | {row['dst_ms']:9.1f} | "
                         f"{row['ratio']:5.2f} |")
        else:
            lines.append(f"| {row['rel'][-40:]:40s} | {row['error']}")
    for rel, error in sorted(report['failed'].items()):
        lines.append(f'FAILED {rel}: {error}')
    return '\n'.join(lines)


def _fmt(value) -> str:
    return 'n/a' if value is None else f'{value:.3f}'
