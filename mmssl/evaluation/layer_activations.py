"""Outputs of named layers of a model, captured with forward hooks.

Used by the CKA analysis (:mod:`mmssl.evaluation.functional.cka`,
``tools/analysis_tools/cka.py``): the same clips go through one or two
models, and every hooked layer's output is kept for the current minibatch.
"""
from typing import Dict, List, Optional, Sequence

import torch
from torch import Tensor, nn

__all__ = ['default_layer_names', 'LayerActivations', 'backbone_inputs']


def default_layer_names(model: nn.Module, root: str = 'backbone') -> List[str]:
    """The blocks of ``model.<root>`` in forward order, as hook targets.

    The children of ``root`` that hold parameters, with every
    ``nn.Sequential`` child (a ResNet stage) expanded into its blocks, e.g.
    ``['backbone.conv1', 'backbone.layer1.0', ..., 'backbone.layer4.1']``
    for ResNet3d-18.

    Args:
        model (nn.Module): A model with a ``root`` submodule.
        root (str): Dotted name of the submodule whose blocks are listed.

    Returns:
        list[str]: Dotted module names relative to ``model``.

    Raises:
        KeyError: ``model`` has no ``root``.
    """
    modules = dict(model.named_modules())
    if root not in modules:
        raise KeyError(f'{type(model).__name__} has no submodule {root!r}')
    names = []
    for name, child in modules[root].named_children():
        if not any(True for _ in child.parameters()):
            continue
        if isinstance(child, nn.Sequential):
            names += [f'{root}.{name}.{sub}' for sub, _ in
                      child.named_children()]
        else:
            names.append(f'{root}.{name}')
    return names


def backbone_inputs(model: nn.Module, data: dict) -> Tensor:
    """Preprocess a loader batch and flatten its views to backbone input.

    Args:
        model (nn.Module): An mmssl algorithm or MMAction2 recognizer (its
            ``data_preprocessor`` normalises, and e.g. turns frames into
            residual frames).
        data (dict): A batch of the test loader (``inputs``, ``data_samples``).

    Returns:
        Tensor: ``(B * V, C, T, H, W)``, every clip / crop view one example.
    """
    inputs = model.data_preprocessor(data, False)['inputs']
    if isinstance(inputs, (list, tuple)):
        inputs = torch.stack(list(inputs))
    return inputs.reshape((-1, ) + tuple(inputs.shape[-4:]))


class LayerActivations:
    """Keep the output of named modules during a forward pass.

    Args:
        model (nn.Module): The model.
        names (Sequence[str]): Dotted module names (``model.named_modules``).
        pool (str): ``'none'``: keep the whole output flattened per example;
            ``'avg'``: average it over the space-time axes (``(N, C)``).

    Raises:
        KeyError: A name is not a module of ``model`` (the message lists
            candidates).

    Example:
        >>> with LayerActivations(model, ['backbone.layer1']) as acts:
        ...     model.backbone(x)
        >>> acts.outputs['backbone.layer1'].shape
    """

    POOLS = ('none', 'avg')

    def __init__(self, model: nn.Module, names: Sequence[str],
                 pool: str = 'none') -> None:
        if pool not in self.POOLS:
            raise ValueError(f'pool must be one of {self.POOLS}, got {pool!r}')
        modules = dict(model.named_modules())
        unknown = [n for n in names if n not in modules]
        if unknown:
            shown = ', '.join(default_layer_names(model)
                              if 'backbone' in modules else list(modules)[:20])
            raise KeyError(f'{type(model).__name__} has no modules {unknown};'
                           f' e.g. {shown}')
        self.names = list(names)
        self.pool = pool
        self.outputs: Dict[str, Tensor] = {}
        self._handles = [
            modules[name].register_forward_hook(self._hook(name))
            for name in self.names
        ]

    def _hook(self, name: str):

        def hook(module, args, output):
            if isinstance(output, (tuple, list)):
                output = output[0]
            output = output.detach()
            if self.pool == 'avg' and output.dim() > 2:
                output = output.flatten(2).mean(dim=2)
            self.outputs[name] = output.reshape(output.shape[0], -1).cpu()

        return hook

    def pop(self) -> Dict[str, Tensor]:
        """The outputs of the last forward pass (then forgotten)."""
        outputs, self.outputs = self.outputs, {}
        return outputs

    def remove(self) -> None:
        """Remove the hooks."""
        for handle in self._handles:
            handle.remove()
        self._handles = []

    def __enter__(self) -> 'LayerActivations':
        return self

    def __exit__(self, *exc: Optional[BaseException]) -> None:
        self.remove()
