"""CPU seconds of the current process (a data-loader worker or the main).

psutil when installed (``Process().cpu_times()``), else ``os.times()``; both
give user + system time of this process only (not its children).
"""
import os
from typing import Tuple


def cpu_time_source() -> str:
    """``'psutil'`` or ``'os.times'``: what :func:`process_cpu_seconds`
    reads."""
    try:
        import psutil  # noqa: F401
    except ImportError:
        return 'os.times'
    return 'psutil'


def process_cpu_seconds() -> float:
    """User + system CPU seconds of this process so far."""
    try:
        import psutil
    except ImportError:
        times = os.times()
        return times.user + times.system
    times = psutil.Process().cpu_times()
    return times.user + times.system


def worker_identity() -> Tuple[int, int]:
    """(loader worker id or -1 in the main process, process id)."""
    from torch.utils.data import get_worker_info
    info = get_worker_info()
    return (-1 if info is None else info.id), os.getpid()
