"""Set-up helpers."""
from .checkpoint_safety import (register_safe_checkpoint_globals,
                                safe_checkpoint_globals)
from .distributed import finish_distributed, setup_cpu_distributed
from .setup_env import register_all_modules
from .video_logging import quiet_ffmpeg

__all__ = [
    'register_all_modules', 'register_safe_checkpoint_globals',
    'safe_checkpoint_globals', 'setup_cpu_distributed', 'finish_distributed',
    'quiet_ffmpeg'
]
