"""Time and FLOP-count the parts of a training step
(``tools/analysis_tools/benchmark_train_step.py``)."""
import time
from typing import Callable, Dict, List, Optional

import torch


def sync_device() -> None:
    """Wait for queued CUDA work (no-op on the CPU), so timings are real."""
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def count_flops(step: Callable[[], object],
                depth_of: Optional[str] = None) -> dict:
    """FLOPs of one call of ``step`` (forward + backward), with the totals
    of the modules one level under ``depth_of``."""
    from torch.utils.flop_counter import FlopCounterMode
    counter = FlopCounterMode(display=False)
    with counter:
        step()
    counts = {name: sum(ops.values())
              for name, ops in counter.get_flop_counts().items()}
    per_module: Dict[str, int] = {}
    for name, flops in counts.items():
        parts = name.split('.')
        # outermost recorded module under the root (a head's decoder is
        # recorded alone when the algorithm calls ``head.loss``)
        if len(parts) < 2 or parts[0] != depth_of or any(
                '.'.join(parts[:i]) in counts
                for i in range(2, len(parts))):
            continue
        per_module[parts[1]] = per_module.get(parts[1], 0) + flops
    return dict(total=counter.get_total_flops(), per_module=per_module)


class Breakdown:
    """Accumulated seconds per part of the method's step (instrumented)."""

    def __init__(self, model, optim) -> None:
        self.acc: Dict[str, float] = {}
        self._undo: List[Callable[[], None]] = []
        parts = dict(preprocessor=model.data_preprocessor,
                     backbone=model.backbone,
                     neck=getattr(model, 'neck', None),
                     head=getattr(model, 'head', None))
        momentum = getattr(model, 'momentum_encoder', None)
        if momentum is not None:
            parts['key_encoder'] = momentum
            for sub in momentum.children():
                self._time_module('key_encoder', sub)
        for name, module in parts.items():
            if isinstance(module, torch.nn.Module):
                self._time_module(name, module)
        self._time_method('forward_total', model, '_run_forward')
        self._time_method('backward', optim, 'backward')
        self._time_method('optimizer_step', optim, 'step')
        self._time_method('optimizer_step', optim, 'zero_grad')
        self._time_method('momentum_update', model, 'momentum_update')

    def _add(self, name: str, seconds: float) -> None:
        self.acc[name] = self.acc.get(name, 0.0) + seconds

    def _time_module(self, name: str, module: torch.nn.Module) -> None:
        starts = []

        def pre(*_):
            sync_device()
            starts.append(time.perf_counter())

        def post(*_):
            sync_device()
            self._add(name, time.perf_counter() - starts.pop())
        handles = [module.register_forward_pre_hook(pre),
                   module.register_forward_hook(post)]
        self._undo += [h.remove for h in handles]

    def _time_method(self, name: str, obj, attr: str) -> None:
        fn = getattr(obj, attr, None)
        if fn is None:
            return

        def wrapped(*args, **kwargs):
            sync_device()
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                sync_device()
                self._add(name, time.perf_counter() - start)
        setattr(obj, attr, wrapped)
        self._undo.append(lambda: delattr(obj, attr))

    def remove(self) -> None:
        for undo in self._undo:
            undo()

    def summary(self, steps: int, total_s: float) -> Dict[str, float]:
        """Mean ms per step of each part; ``other_forward`` = forward
        minus the timed modules (losses, glue), ``rest`` = the step minus
        all parts."""
        ms = {k: 1000 * v / steps for k, v in self.acc.items()}
        fwd = ms.pop('forward_total', 0.0)
        inner = sum(ms.get(k, 0.0) for k in ('backbone', 'neck', 'head',
                                             'key_encoder'))
        # the key encoder runs inside the forward; the preprocessor before
        ms['other_forward'] = fwd - inner
        ms['step_total'] = 1000 * total_s / steps
        ms['rest'] = ms['step_total'] - fwd - sum(
            ms.get(k, 0.0) for k in ('preprocessor', 'backward',
                                     'optimizer_step', 'momentum_update'))
        return {k: round(v, 2) for k, v in ms.items()}


def time_bare_parts(optim, steps: int,
                    forward: Callable[[], torch.Tensor]) -> Dict[str, float]:
    """Mean ms of the bare step's forward, backward and optimizer step
    (``OptimWrapper.update_params`` split into its calls)."""
    acc = dict(backbone=0.0, backward=0.0, optimizer_step=0.0)
    for _ in range(steps):
        marks = [time.perf_counter()]
        loss = forward()
        sync_device()
        marks.append(time.perf_counter())
        optim.backward(loss)
        sync_device()
        marks.append(time.perf_counter())
        optim.step()
        optim.zero_grad()
        sync_device()
        marks.append(time.perf_counter())
        for key, t0, t1 in zip(acc, marks, marks[1:]):
            acc[key] += t1 - t0
    return {k: round(1000 * v / steps, 2) for k, v in acc.items()}
