"""A local file backend whose writes are atomic (temporary file + rename).

MMEngine's ``LocalBackend.put`` opens the target for writing and writes the
bytes, so a process killed during a checkpoint save leaves a truncated
``epoch_N.pth`` that a later ``--resume`` picks up. ``CheckpointHook`` writes
through the file backend named by its ``backend_args``; mmssl registers
:class:`AtomicLocalBackend` as ``'atomic_local'`` and
``configs/_base_/default_runtime.py`` selects it with
``checkpoint=dict(..., backend_args=dict(backend='atomic_local'))``.

The data go to a temporary file in the same directory, are flushed and
``fsync``-ed, and :func:`os.replace` renames them onto the target, which is
atomic on POSIX and Windows file systems: the target is either the old
file, absent, or the complete new file.
"""
import os
import os.path as osp
import tempfile
from pathlib import Path
from typing import Union

from mmengine.fileio.backends import LocalBackend, register_backend

ATOMIC_BACKEND_NAME = 'atomic_local'


def atomic_write(data: bytes, filepath: Union[str, Path]) -> None:
    """Write ``data`` to ``filepath`` through a temporary file and a rename.

    Args:
        data (bytes): Content.
        filepath (str | Path): Target; its directory is created if needed.
    """
    filepath = str(filepath)
    directory = osp.dirname(osp.abspath(filepath))
    os.makedirs(directory, exist_ok=True)
    fd, tmp_path = tempfile.mkstemp(
        dir=directory, prefix=f'.{osp.basename(filepath)}.', suffix='.tmp')
    try:
        with os.fdopen(fd, 'wb') as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp_path, filepath)
    except BaseException:
        if osp.exists(tmp_path):
            os.remove(tmp_path)
        raise


class AtomicLocalBackend(LocalBackend):
    """:class:`LocalBackend` whose ``put`` / ``put_text`` are atomic."""

    def put(self, obj: bytes, filepath: Union[str, Path]) -> None:
        """Atomically write bytes ``obj`` to ``filepath``."""
        atomic_write(obj, filepath)

    def put_text(self,
                 obj: str,
                 filepath: Union[str, Path],
                 encoding: str = 'utf-8') -> None:
        """Atomically write text ``obj`` to ``filepath``."""
        atomic_write(obj.encode(encoding), filepath)


def register_atomic_backend() -> None:
    """Register :class:`AtomicLocalBackend` as ``'atomic_local'``
    (idempotent)."""
    register_backend(ATOMIC_BACKEND_NAME, AtomicLocalBackend, force=True)
