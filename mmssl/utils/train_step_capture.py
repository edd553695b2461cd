"""Capture the calls a training step makes into its backbone, and replay
them on the bare backbone (``tools/analysis_tools/benchmark_train_step.py``:
a method's step against its backbone's forward + backward on exactly the
same inputs)."""
from typing import Callable, Dict, List, Optional

import torch

#: Backbone entry points an algorithm may call instead of ``forward``.
BACKBONE_METHODS = ('forward', 'encode', 'temporal')
#: Functions taking the backbone first (imported into algorithm modules).
BACKBONE_FUNCTIONS = ('vit_visible_tokens', )


def _detach(value):
    """A detached copy of every tensor in (nested) ``value``."""
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, (list, tuple)):
        return type(value)(_detach(v) for v in value)
    if isinstance(value, dict):
        return {k: _detach(v) for k, v in value.items()}
    return value


def tensor_shapes(value):
    """Nested lists of the shapes of the tensors in ``value`` (None if it
    holds none)."""
    if isinstance(value, torch.Tensor):
        return list(value.shape)
    if isinstance(value, (list, tuple)):
        return [tensor_shapes(v) for v in value if tensor_shapes(v) is not None] or None
    return None


def scalar_of(outputs) -> torch.Tensor:
    """Sum of the means of every floating tensor in ``outputs``."""
    if isinstance(outputs, torch.Tensor):
        return outputs.float().mean() if outputs.is_floating_point() else 0
    if isinstance(outputs, dict):
        outputs = list(outputs.values())
    if isinstance(outputs, (list, tuple)):
        return sum((scalar_of(o) for o in outputs), torch.zeros(()))
    return torch.zeros(())


class CallRecorder:
    """Record the top-level calls into a backbone during one step.

    Wraps the backbone's :data:`BACKBONE_METHODS` (instance attributes) and
    the :data:`BACKBONE_FUNCTIONS` of the algorithm's module; nested calls
    (``forward`` calling ``encode``) are not recorded twice.
    """

    def __init__(self, backbone: torch.nn.Module, algo_module) -> None:
        self.calls: List[dict] = []
        self._depth = 0
        self._undo: List[Callable[[], None]] = []
        for name in BACKBONE_METHODS:
            fn = getattr(backbone, name, None)
            if callable(fn):
                setattr(backbone, name, self._wrap(name, fn, None))
                self._undo.append(lambda n=name: delattr(backbone, n))
        for name in BACKBONE_FUNCTIONS:
            fn = getattr(algo_module, name, None)
            if callable(fn):
                setattr(algo_module, name, self._wrap(name, fn, backbone))
                self._undo.append(
                    lambda n=name, f=fn: setattr(algo_module, n, f))

    def _wrap(self, name: str, fn: Callable, backbone) -> Callable:
        def wrapped(*args, **kwargs):
            rec_args = args[1:] if backbone is not None else args
            if self._depth == 0:
                self.calls.append(dict(
                    entry=name, function=backbone is not None,
                    args=_detach(rec_args), kwargs=_detach(kwargs),
                    grad=torch.is_grad_enabled()))
            self._depth += 1
            try:
                return fn(*args, **kwargs)
            finally:
                self._depth -= 1
        return wrapped

    def remove(self) -> None:
        for undo in self._undo:
            undo()


def replay(backbone: torch.nn.Module, algo_module, calls: List[dict],
           timing: Optional[Dict[str, float]] = None) -> torch.Tensor:
    """Run the recorded calls again; the scalar of the grad-mode outputs."""
    total = torch.zeros(())
    for call in calls:
        if call['function']:
            fn = getattr(algo_module, call['entry'])
            run = lambda c=call, f=fn: f(backbone, *c['args'], **c['kwargs'])
        else:
            fn = getattr(backbone, call['entry'])
            run = lambda c=call, f=fn: f(*c['args'], **c['kwargs'])
        with torch.set_grad_enabled(call['grad']):
            out = run()
        if call['grad']:
            total = total + scalar_of(out)
    return total
