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

import time

import numpy as np

from .base import backend_class, open_video

SET_KINDS = ('4 consecutive clips', '10 sparse clips', 'one strided clip',
             'scattered frames')  # index_sets(), in order
COLOR_ROUNDING_MAX_ABS = 3  # per pixel, decord vs PyAV RGB conversion
WRONG_FRAME_MEAN_ABS = 1.0  # mean abs diff above which a frame is wrong


def index_sets(num_frames: int, seed: int = 0, num_sets: int = 4,
               clip_len: int = 16) -> List[np.ndarray]:
    """Sorted unique index sets shaped like the pipeline's requests.

    Set ``k % 4``: 0 = 4 clips of ``clip_len`` consecutive frames at random
    starts (VCOP-like), 1 = 10 clips at stride 4 spread evenly over the
    video (sparse multi-clip samplers), 2 = one clip at stride 4 at a
    random start (single-clip sampling), 3 = scattered single frames. All
    indices are below ``num_frames``.
    """
    rng = np.random.RandomState(seed)
    sets = []
    for k in range(num_sets):
        kind = k % 4
        if kind == 0:
            starts = rng.randint(0, max(num_frames - clip_len, 1), 4)
            inds = (starts[:, None] + np.arange(clip_len)).ravel()
        elif kind == 1:
            starts = np.linspace(0, max(num_frames - 4 * clip_len, 0), 10)
            inds = (starts.astype(int)[:, None] +
                    4 * np.arange(clip_len)).ravel()
        elif kind == 2:
            start = rng.randint(0, max(num_frames - 4 * clip_len, 1))
            inds = start + 4 * np.arange(clip_len)
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
        ``ms_per_set`` (open + read + close of each index set, ms),
        ``message``.
    """
    out = dict(backend=backend, access=access, num_frames=0, num_wrong=0,
               mean_abs_diff=0.0, max_abs_diff=0, wrong_indices=[],
               message='')
    if access not in backend_class(backend).access_patterns:
        return dict(out, verdict='unsupported')
    diffs, times = [], []
    for inds in sets:  # open + read + close per set, as the pipeline does
        start = time.perf_counter()
        try:
            source = open_video(path, backend)
        except ImportError as err:
            return dict(out, verdict='unavailable', message=str(err))
        except ValueError as err:
            return dict(out, verdict='refused', message=str(err))
        except Exception as err:  # noqa: BLE001 - reported, not raised
            return dict(out, verdict='error', message=repr(err))
        try:
            frames = source.read(inds, access)
        except Exception as err:  # noqa: BLE001
            return dict(out, verdict='error', message=repr(err))
        finally:
            source.close()
        times.append(1000 * (time.perf_counter() - start))
        for idx, frame in zip(inds.tolist(), frames):
            ref = reference[idx]
            if frame.shape != ref.shape:
                diffs.append((idx, 255.0, 255))
                continue
            diff = np.abs(frame.astype(np.int16) - ref)
            diffs.append((idx, float(diff.mean()), int(diff.max())))
    out['ms_per_set'] = [round(t, 2) for t in times]
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
                num_sets: int = 4, clip_len: int = 16) -> Dict:
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
        count = ref_source.num_frames
        try:
            reference = _reference_frames(ref_source, count, seed, num_sets,
                                          clip_len)
        except IndexError:  # the container over-reports: count decoded
            count = _count_frames(ref_source)
            reference = _reference_frames(ref_source, count, seed, num_sets,
                                          clip_len)
    except Exception as err:  # noqa: BLE001
        return dict(report, error=f'reference decode failed: {err!r}')
    finally:
        ref_source.close()
    sets = index_sets(count, seed, num_sets, clip_len)
    report['reference_frames'] = count
    report['results'] = [
        check_pair(path, backend, access, sets, reference)
        for backend in backends for access in access_patterns
    ]
    return report


def _reference_frames(source, count: int, seed: int, num_sets: int,
                      clip_len: int) -> Dict[int, np.ndarray]:
    """``{index: int16 frame}`` of the union of the index sets."""
    sets = index_sets(count, seed, num_sets, clip_len)
    union = np.unique(np.concatenate(sets))
    return dict(zip(union.tolist(),
                    source.read(union, 'sequential').astype(np.int16)))


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


def timing_summary(reports: Sequence[Dict]) -> Dict[str, Dict[str, float]]:
    """``{'backend/access': {set kind: median ms over files and sets}}``.

    Only pairs that decoded (accurate or WRONG) are timed.
    """
    times: Dict[str, Dict[str, list]] = {}
    for report in reports:
        for res in report['results']:
            for k, ms in enumerate(res.get('ms_per_set', [])):
                pair = f'{res["backend"]}/{res["access"]}'
                times.setdefault(pair, {}).setdefault(
                    SET_KINDS[k % len(SET_KINDS)], []).append(ms)
    return {
        pair: {kind: float(np.median(v)) for kind, v in kinds.items()}
        for pair, kinds in times.items()
    }


def verdict_of(report: Dict, backend: str, access: str) -> Optional[Dict]:
    """The :func:`check_pair` result for ``backend``/``access`` or None."""
    for res in report.get('results', []):
        if res['backend'] == backend and res['access'] == access:
            return res
    return None
