"""On-disk layout of a SynthMotion dataset: paths, per-video seeds, the
``meta.json`` record, the directory lock and the annotation lists."""
import contextlib
import json
import os
import os.path as osp
from typing import Dict, Iterator, List, Optional, Tuple

import numpy as np

__all__ = [
    'SPLITS', 'synthmotion_paths', 'video_rng', 'read_meta', 'write_json',
    'dir_lock', 'read_synthmotion_list'
]

SPLITS = ('train', 'val')
META_NAME = 'meta.json'
_LOCK_NAME = '.synthmotion.lock'


def synthmotion_paths(out_dir: str) -> Dict[str, str]:
    """Paths of a SynthMotion dataset directory (whether or not it exists).

    Args:
        out_dir (str): Dataset root, used as ``data_prefix``.

    Returns:
        dict[str, str]: ``root``, ``video_dir``, ``train_list``, ``val_list``,
        ``classes`` and ``meta``.
    """
    return dict(
        root=out_dir,
        video_dir=osp.join(out_dir, 'videos'),
        train_list=osp.join(out_dir, 'train_list.txt'),
        val_list=osp.join(out_dir, 'val_list.txt'),
        classes=osp.join(out_dir, 'classes.txt'),
        meta=osp.join(out_dir, META_NAME))


def video_rng(seed: int, split: str, label: int,
              index: int) -> np.random.Generator:
    """Independent generator per video (order- and count-independent)."""
    return np.random.default_rng(
        np.random.SeedSequence([seed, SPLITS.index(split), label, index]))


def read_meta(out_dir: str) -> Optional[dict]:
    """``meta.json`` of a SynthMotion dataset; None if absent or foreign."""
    path = osp.join(out_dir, META_NAME)
    try:
        with open(path) as f:
            meta = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get('dataset') != 'synthmotion':
        return None
    return meta


def write_json(path: str, obj: dict) -> None:
    """Write ``obj`` as JSON atomically (temporary file + rename)."""
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(obj, f, indent=2, sort_keys=True)
        f.write('\n')
    os.replace(tmp, path)


@contextlib.contextmanager
def dir_lock(out_dir: str) -> Iterator[None]:
    """Exclusive inter-process lock on ``out_dir`` (no-op without fcntl)."""
    os.makedirs(out_dir, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(osp.join(out_dir, _LOCK_NAME), 'w') as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def read_synthmotion_list(ann_file: str) -> List[Tuple[str, int]]:
    """Parse a SynthMotion annotation list.

    Args:
        ann_file (str): ``train_list.txt`` or ``val_list.txt``.

    Returns:
        list[tuple[str, int]]: (relative video path, label) per line.
    """
    out = []
    with open(ann_file) as f:
        for line in f:
            rel, label = line.rstrip('\n').rsplit(' ', 1)
            out.append((rel, int(label)))
    return out

