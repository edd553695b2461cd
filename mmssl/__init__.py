"""mmssl: self-supervised video representation learning for MMAction2."""
import warnings

# mmcv-lite has no compiled ops; mmcv warns about a deformable-attention op
# that mmssl never uses.
warnings.filterwarnings(
    'ignore', message='Fail to import ``MultiScaleDeformableAttention``')

from .utils.atomic_file_backend import register_atomic_backend  # noqa: E402
from .utils.checkpoint_reading import register_checkpoint_reader  # noqa: E402
from .utils.checkpoint_safety import register_safe_checkpoint_globals  # noqa: E402
from .version import __version__  # noqa: E402

register_safe_checkpoint_globals()
register_checkpoint_reader()  # checkpoint read errors name the file
register_atomic_backend()  # 'atomic_local': checkpoints written atomically

__all__ = ['__version__']
