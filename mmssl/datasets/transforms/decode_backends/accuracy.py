"""Frame-accuracy check: does a backend's frame i equal a sequential decode's?

The reference is PyAV's sequential decode (every frame, in decoder output
order: by definition the numbering the samplers assume), or decord's
sequential decode when PyAV is not installed. Each (backend, access
pattern) pair reads the frames of a few index sets shaped like the
pipeline's requests (the sorted union of several clips) and is compared
frame by frame.

A frame counts as wrong when its mean absolute difference to the reference
exceeds ``WRONG_FRAME_MEAN_ABS``. Backends convert YUV to RGB with
different rounding: on the real test clips decord and PyAV differ by at
most ``COLOR_ROUNDING_MAX_ABS`` per pixel (mean < 0.1), while a wrong
(neighbouring) frame differs by several grey levels on average.
"""
from typing import Dict, List, Optional, Sequence

import numpy as np

from .base import backend_class, open_video

COLOR_ROUNDING_MAX_ABS = 3  # per pixel, decord vs PyAV RGB conversion
WRONG_FRAME_MEAN_ABS = 1.0  # mean abs diff above which a frame is wrong


def index_sets(num_frames: int, seed: int = 0, num_sets: int = 3,
               clip_len: int = 8) -> List[np.ndarray]:
    """Sorted unique index sets shaped like multi-clip samples.

    The first set is 4 clips of ``clip_len`` consecutive frames at random
    starts, the second 10 sparse clips (stride 4) spread over the video,
    the rest scattered single frames; all below ``num_frames``.
    """
    rng = np.random.RandomState(seed)
    sets = []
    for k in range(num_sets):
        if k == 0:
            starts = rng.randint(0, max(num_frames - clip_len, 1), 4)
            inds = (starts[:, None] + np.arange(clip_len)).ravel()
        elif k == 1:
            starts = np.linspace(0, max(num_frames - 4 * clip_len, 0), 10)
            inds = (starts.astype(int)[:, None] +
                    4 * np.arange(clip_len)).ravel()
        else:
            inds = rng.randint(0, num_frames, 3 * clip_len)
        sets.append(np.unique(np.clip(inds, 0, num_frames - 1)))
    return sets


def reference_source(path: str):
    """PyAV when installed, else decord (both read sequentially)."""
    try:
        return open_video(path, 'pyav')
    except ImportError:
        return open_video(path, 'decord')


def check_pair(path: str, backend: str, access: str,
               sets: Sequence[np.ndarray], reference: Dict[int, np.ndarray],
               ) -> Dict:
    """Verdict for one (file, backend, access) pair.

    Returns:
        dict: ``verdict`` ('accurate' | 'WRONG' | 'refused' | 'unavailable'
        | 'unsupported' | 'error'), ``num_frames`` (compared), ``num_wrong``,
        ``mean_abs_diff``, ``max_abs_diff``, ``wrong_indices`` (first 20),
        ``message``.
    """
    out = dict(backend=backend, access=access, num_frames=0, num_wrong=0,
               mean_abs_diff=0.0, max_abs_diff=0, wrong_indices=[],
               message='')
    if access not in backend_class(backend).access_patterns:
        return dict(out, verdict='unsupported')
    try:
        source = open_video(path, backend)
    except ImportError as err:
        return dict(out, verdict='unavailable', message=str(err))
    except ValueError as err:
        return dict(out, verdict='refused', message=str(err))
    except Exception as err:  # noqa: BLE001 - reported, not raised
        return dict(out, verdict='error', message=repr(err))
    diffs = []
    try:
        for inds in sets:
            frames = source.read(inds, access)
            for idx, frame in zip(inds.tolist(), frames):
                ref = reference[idx]
                if frame.shape != ref.shape:
                    diffs.append((idx, 255.0, 255))
                    continue
                diff = np.abs(frame.astype(np.int16) - ref)
                diffs.append((idx, float(diff.mean()), int(diff.max())))
    except Exception as err:  # noqa: BLE001
        return dict(out, verdict='error', message=repr(err))
    finally:
        source.close()
    wrong = [d for d in diffs if d[1] > WRONG_FRAME_MEAN_ABS]
    out.update(
        num_frames=len(diffs), num_wrong=len(wrong),
        mean_abs_diff=float(np.mean([d[1] for d in diffs])),
        max_abs_diff=max(d[2] for d in diffs),
        wrong_indices=[d[0] for d in wrong][:20],
        verdict='WRONG' if wrong else 'accurate')
    return out


def check_video(path: str, backends: Sequence[str],
                access_patterns: Sequence[str], seed: int = 0,
                num_sets: int = 3) -> Dict:
    """Frame-accuracy report of one video for every (backend, access).

    Returns:
        dict: ``file``, ``reference`` (backend), ``reference_frames``
        (frames of the sequential decode), ``results`` (list of
        :func:`check_pair` dicts), or ``error`` when the reference fails.
    """
    report = dict(file=path, results=[])
    try:
        ref_source = reference_source(path)
    except Exception as err:  # noqa: BLE001
        return dict(report, error=f'reference decode failed: {err!r}')
    report['reference'] = ref_source.backend
    try:
        count = _count_frames(ref_source)
        sets = index_sets(count, seed, num_sets)
        union = np.unique(np.concatenate(sets))
        reference = dict(zip(union.tolist(),
                             ref_source.read(union, 'sequential').astype(
                                 np.int16)))
    except Exception as err:  # noqa: BLE001
        return dict(report, error=f'reference decode failed: {err!r}')
    finally:
        ref_source.close()
    report['reference_frames'] = count
    report['results'] = [
        check_pair(path, backend, access, sets, reference)
        for backend in backends for access in access_patterns
    ]
    return report


def _count_frames(source) -> int:
    """Frames a sequential decode actually outputs (<= the reported count)."""
    if source.backend != 'pyav':
        return source.num_frames
    stream = source._open()
    count = sum(1 for _ in source.container.decode(stream))
    source.close()
    return count


def summarize(reports: Sequence[Dict]) -> Dict[str, Dict[str, int]]:
    """``{'backend/access': {verdict: number of files}}``."""
    table: Dict[str, Dict[str, int]] = {}
    for report in reports:
        for res in report['results']:
            key = f'{res["backend"]}/{res["access"]}'
            row = table.setdefault(key, {})
            row[res['verdict']] = row.get(res['verdict'], 0) + 1
    return table


def verdict_of(report: Dict, backend: str, access: str) -> Optional[Dict]:
    """The :func:`check_pair` result for ``backend``/``access`` or None."""
    for res in report.get('results', []):
        if res['backend'] == backend and res['access'] == access:
            return res
    return None
