"""Models. Imports MMAction2's models first so parent-registry look-ups
(``ResNet3d``, ``C3D``, ``ActionDataPreprocessor`` ...) succeed."""
import mmaction.models  # noqa: F401

from .algorithms import *  # noqa: F401,F403
from .backbones import *  # noqa: F401,F403
from .data_preprocessors import *  # noqa: F401,F403
from .generators import *  # noqa: F401,F403
from .heads import *  # noqa: F401,F403
from .losses import *  # noqa: F401,F403
from .necks import *  # noqa: F401,F403
from .recognizers import *  # noqa: F401,F403
