"""Find the checkpoint ``--resume`` (without a path) continues from.

MMEngine's auto-resume reads ``work_dir/last_checkpoint``; when that file is
absent it prints "Did not find last_checkpoint to be resumed." and trains
from scratch with exit code 0. ``tools/train.py --resume`` resolves the
checkpoint itself with :func:`find_resume_checkpoint` and stops with
:class:`NoCheckpointToResume` when there is none, so a mistyped work
directory never silently restarts a run.
"""
import glob
import os.path as osp
import re
from typing import Optional


class NoCheckpointToResume(FileNotFoundError):
    """``--resume`` was given but the work directory holds no checkpoint."""


def _step(path: str) -> Optional[int]:
    """N of ``epoch_N.pth`` / ``iter_N.pth``, else ``None``."""
    match = re.fullmatch(r'(?:epoch|iter)_(\d+)\.pth', osp.basename(path))
    return int(match.group(1)) if match else None


def find_resume_checkpoint(work_dir: str) -> str:
    """The checkpoint named by ``work_dir/last_checkpoint``, else the
    newest ``epoch_N.pth`` / ``iter_N.pth`` in ``work_dir``.

    ``last_checkpoint`` is used when it names an existing file; a stale or
    empty one (e.g. from a run killed while writing it) falls back to the
    highest-numbered checkpoint.

    Args:
        work_dir (str): The run's work directory.

    Returns:
        str: Path of the checkpoint.

    Raises:
        NoCheckpointToResume: Neither exists.
    """
    pointer = osp.join(work_dir, 'last_checkpoint')
    if osp.isfile(pointer):
        with open(pointer) as f:
            named = f.read().strip()
        if named and osp.isfile(named):
            return named
    candidates = [(step, path)
                  for path in glob.glob(osp.join(work_dir, '*.pth'))
                  if (step := _step(path)) is not None]
    if candidates:
        return max(candidates)[1]
    raise NoCheckpointToResume(
        f'--resume: no checkpoint to resume from in {osp.abspath(work_dir)} '
        '(no last_checkpoint file naming an existing checkpoint, no '
        'epoch_N.pth / iter_N.pth). Check --work-dir, pass the checkpoint '
        '(--resume PATH), or drop --resume to train from scratch.')
