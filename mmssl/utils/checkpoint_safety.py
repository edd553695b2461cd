"""Allow-list the few safe types MMEngine checkpoints contain.

Since torch 2.6, ``torch.load`` defaults to ``weights_only=True``, which only
unpickles tensors, containers and allow-listed globals. MMEngine 0.10.7
checkpoints also carry the message hub's :class:`HistoryBuffer` objects and
NumPy arrays / scalars / dtypes, so ``resume=True`` and ``load_from`` fail with
``UnpicklingError: Weights only load failed``.

We do **not** fall back to ``weights_only=False`` (that would execute
arbitrary code embedded in a checkpoint). Instead the handful of data-only
classes are registered with :func:`torch.serialization.add_safe_globals` when
mmssl is imported. Anything else, e.g. a pickle that reduces to
``os.system``, is still refused by torch's weights-only unpickler.

``HistoryBuffer`` keeps bound methods (``min``, ``max``, ``mean`` ...) in a
dict, which pickle stores as ``builtins.getattr(HistoryBuffer, 'min')``.
Allow-listing the real ``getattr`` would reopen the door (``getattr`` chains
reach ``__globals__`` and ``eval``), so ``builtins.getattr`` is mapped to
:func:`history_buffer_getattr`, which only returns public statistics methods
of ``HistoryBuffer`` and refuses everything else.
"""
from typing import Any, List

import numpy as np
import torch


def _numpy_safe_globals() -> List[object]:
    """NumPy objects that appear in pickled arrays and scalars."""
    safe = [np.ndarray, np.dtype]
    try:  # numpy >= 2
        from numpy._core.multiarray import _reconstruct, scalar
    except ImportError:  # pragma: no cover - numpy 1.x
        from numpy.core.multiarray import _reconstruct, scalar
    safe += [_reconstruct, scalar]
    # Concrete dtype classes (np.dtypes.Float64DType ...) are pickled by
    # reference since numpy 1.25.
    dtypes = getattr(np, 'dtypes', None)
    if dtypes is not None:
        safe += [
            getattr(dtypes, name) for name in dir(dtypes)
            if name.endswith('DType')
        ]
    return safe


def history_buffer_getattr(obj: Any, name: str) -> Any:
    """Restricted stand-in for ``getattr`` while unpickling checkpoints.

    Only ``HistoryBuffer`` classes/instances and public, non-dunder
    attribute names are served.

    Raises:
        pickle.UnpicklingError: for any other object or name.
    """
    import pickle

    from mmengine.logging.history_buffer import HistoryBuffer
    is_buffer = obj is HistoryBuffer or isinstance(obj, HistoryBuffer)
    if not is_buffer or not isinstance(name, str) or name.startswith('_'):
        raise pickle.UnpicklingError(
            f'refusing getattr({type(obj).__name__}, {name!r}) in a '
            'checkpoint: only HistoryBuffer statistics methods are allowed')
    return getattr(obj, name)


def safe_checkpoint_globals() -> List[object]:
    """Return the globals mmssl allow-lists for ``weights_only`` loading."""
    from mmengine.logging.history_buffer import HistoryBuffer
    return [HistoryBuffer, (history_buffer_getattr, 'builtins.getattr')
            ] + _numpy_safe_globals()


def register_safe_checkpoint_globals() -> None:
    """Allow-list the safe globals (idempotent)."""
    add_safe_globals = getattr(torch.serialization, 'add_safe_globals', None)
    if add_safe_globals is None:  # pragma: no cover - torch < 2.4
        return
    add_safe_globals(safe_checkpoint_globals())
