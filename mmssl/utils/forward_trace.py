"""Name the config key behind a shape error of the first training forward.

A backbone/head channel mismatch (``model.head.in_channels`` wrong for the
backbone) surfaces as ``mat1 and mat2 shapes cannot be multiplied`` deep
inside the first iteration. :class:`FirstForwardTrace` puts forward hooks on
every submodule until the first forward of the model completes (then removes
them: no cost afterwards). If the forward fails, the modules entered but not
left give the failing submodule (``head.pair_fc``) and its input shapes;
:meth:`FirstForwardTrace.explain` maps it to the config dict that built it
(``model.head``) and its ``in_channels`` if it has one, in one line.

The check runs with the real first batch at the first iteration, before any
optimizer step or checkpoint, so it costs nothing and cannot disturb the
random streams of the run (a separate dry batch would draw augmentations).
"""
import re
from typing import List, Optional, Tuple

import torch
import torch.nn as nn

SHAPE_ERROR = re.compile(
    r'shape|size|channel|dimension|mat1|mat2|expected input', re.IGNORECASE)


def _shapes(args) -> List[Tuple[int, ...]]:
    """Shapes of the tensor arguments."""
    return [tuple(a.shape) for a in args if isinstance(a, torch.Tensor)]


class FirstForwardTrace:
    """Track which submodule the first forward of ``model`` is in.

    Args:
        model (nn.Module): The unwrapped model (an MMEngine ``BaseModel``).
    """

    def __init__(self, model: nn.Module) -> None:
        self._stack: List[Tuple[str, nn.Module, list]] = []
        self._handles = []
        self._root = model
        for name, module in model.named_modules():
            self._handles.append(
                module.register_forward_pre_hook(self._enter_hook(name)))
            self._handles.append(
                module.register_forward_hook(self._leave_hook(name)))

    def _enter_hook(self, name: str):
        def hook(module, args):
            self._stack.append((name, module, _shapes(args)))
        return hook

    def _leave_hook(self, name: str):
        def hook(module, args, output):
            if self._stack and self._stack[-1][0] == name:
                self._stack.pop()
            # only a training forward ends the trace: an evaluation forward
            # before training (e.g. RepresentationMonitorHook's step-0
            # check) may not reach the heads that the loss uses
            if module is self._root and module.training:
                self.remove()
        return hook

    def remove(self) -> None:
        """Remove the hooks (done after the first complete forward)."""
        for handle in self._handles:
            handle.remove()
        self._handles = []

    @property
    def active(self) -> bool:
        """Whether the first forward has not completed yet."""
        return bool(self._handles)

    def explain(self, error: BaseException, model_cfg: dict) -> Optional[str]:
        """One line naming the config key behind ``error``, or ``None``.

        Args:
            error (BaseException): Raised by the first training iteration.
            model_cfg (dict): The config's ``model`` dict.

        Returns:
            str | None: ``None`` unless the error is a shape error raised
            inside a submodule during the first forward.
        """
        inner = [entry for entry in self._stack if entry[0]]
        if not self.active or not inner or not isinstance(
                error, (RuntimeError, ValueError)) \
                or not SHAPE_ERROR.search(str(error)):
            return None
        failing_name, failing, failing_shapes = inner[-1]
        key, node, depth = 'model', model_cfg, 0
        parts = failing_name.split('.')
        for part in parts:
            if not isinstance(node, dict) or not isinstance(
                    node.get(part), dict):
                break
            key, node, depth = f'{key}.{part}', node[part], depth + 1
        built_by_key = '.'.join(parts[:depth])
        entry_shapes = next(
            (shapes for name, _, shapes in inner if name == built_by_key),
            failing_shapes)
        if isinstance(node, dict) and 'in_channels' in node:
            key = f'{key}.in_channels={node["in_channels"]!r}'
        message = str(error).strip().splitlines()[0]
        return (f'{key} does not fit its input {entry_shapes}: '
                f'{failing_name} ({type(failing).__name__}) got '
                f'{failing_shapes} ({type(error).__name__}: {message})')
