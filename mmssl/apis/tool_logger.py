"""The console logger of a command-line tool that builds models."""
from mmengine.logging import MMLogger

__all__ = ['tool_logger']


def tool_logger(name: str, log_level: str = 'WARNING') -> MMLogger:
    """Make ``name`` the current MMEngine logger, created at ``log_level``
    (default WARNING: per-parameter weight-initialisation reports stay out
    of the console), or reused (and made current) if it exists."""
    if MMLogger.check_instance_created(name):
        return MMLogger.get_instance(name)
    return MMLogger.get_instance(name, log_level=log_level)
