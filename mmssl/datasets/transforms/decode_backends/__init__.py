"""Video decode backends behind one interface (see ``base``)."""
from .base import (ACCESS_PATTERNS, VideoSource, backend_class, check_access,
                   open_video, register_backend)
from .decord_backend import DECORD_REFUSED_EXTENSIONS, DecordSource
from .pyav_backend import PyAVSource, import_av
from .torchcodec_backend import TorchCodecSource, import_torchcodec

__all__ = [
    'ACCESS_PATTERNS', 'VideoSource', 'backend_class', 'check_access',
    'open_video', 'register_backend', 'DECORD_REFUSED_EXTENSIONS',
    'DecordSource', 'PyAVSource', 'import_av', 'TorchCodecSource',
    'import_torchcodec'
]
