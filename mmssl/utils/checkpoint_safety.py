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
"""
from typing import List

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


def safe_checkpoint_globals() -> List[object]:
    """Return the list of classes/functions mmssl allow-lists for loading."""
    from mmengine.logging.history_buffer import HistoryBuffer
    return [HistoryBuffer] + _numpy_safe_globals()


def register_safe_checkpoint_globals() -> None:
    """Allow-list the safe globals (idempotent)."""
    add_safe_globals = getattr(torch.serialization, 'add_safe_globals', None)
    if add_safe_globals is None:  # pragma: no cover - torch < 2.4
        return
    add_safe_globals(safe_checkpoint_globals())
