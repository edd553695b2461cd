"""SynthMotion generator: the public names of :mod:`mmssl.datasets.synthmotion`.

Kept so that ``from mmssl.datasets.synthetic import ...`` (tools, tests, docs
and user code written before the generator became a package) keeps working.
See :mod:`mmssl.datasets.synthmotion` and docs/datasets/synthmotion.md.
"""
from .synthmotion import *  # noqa: F401,F403
from .synthmotion import __all__  # noqa: F401
