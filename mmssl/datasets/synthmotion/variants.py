"""Named SynthMotion variants, so that a config can ask for its dataset by
name and have it generated on first use.

Each variant is a function ``ensure(out_dir: str, **params) -> dict`` that
generates the variant in ``out_dir`` unless an up-to-date copy is there
(deterministic, safe to call from several processes) and returns its paths
(at least ``train_list`` and ``val_list``). The default variant is
:func:`~mmssl.datasets.synthmotion.generate.ensure_synthmotion`; other
variants register themselves with :func:`register_synthmotion_variant`.

Example:
    >>> @register_synthmotion_variant('my_variant')
    ... def ensure_my_variant(out_dir, **params):
    ...     ...
    >>> get_synthmotion_variant('default')('data/synthmotion')
"""
from typing import Callable, Dict

from .generate import ensure_synthmotion

EnsureFn = Callable[..., Dict[str, str]]

SYNTHMOTION_VARIANTS: Dict[str, EnsureFn] = {'default': ensure_synthmotion}


def register_synthmotion_variant(name: str) -> Callable[[EnsureFn], EnsureFn]:
    """Decorator registering ``ensure_fn`` as the SynthMotion variant ``name``.

    Raises:
        KeyError: if another function already holds ``name``.
    """

    def _register(ensure_fn: EnsureFn) -> EnsureFn:
        existing = SYNTHMOTION_VARIANTS.get(name)
        if existing is not None and existing is not ensure_fn:
            raise KeyError(f'SynthMotion variant "{name}" is already '
                           f'registered by {existing.__module__}.'
                           f'{existing.__name__}')
        SYNTHMOTION_VARIANTS[name] = ensure_fn
        return ensure_fn

    return _register


def get_synthmotion_variant(name: str) -> EnsureFn:
    """The ``ensure`` function of variant ``name``.

    Raises:
        KeyError: naming the known variants if ``name`` is unknown.
    """
    if name not in SYNTHMOTION_VARIANTS:
        raise KeyError(f'unknown SynthMotion variant "{name}"; known: '
                       f'{sorted(SYNTHMOTION_VARIANTS)}')
    return SYNTHMOTION_VARIANTS[name]
