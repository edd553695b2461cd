"""mmssl: self-supervised video representation learning for MMAction2."""
import warnings

# mmcv-lite has no compiled ops; mmcv warns about a deformable-attention op
# that mmssl never uses.
warnings.filterwarnings(
    'ignore', message='Fail to import ``MultiScaleDeformableAttention``')

from .utils.checkpoint_safety import register_safe_checkpoint_globals  # noqa: E402
from .version import __version__  # noqa: E402

register_safe_checkpoint_globals()

__all__ = ['__version__']
