"""One optimizer wrapper per named submodule (GANs: generators and
discriminators each with their own optimizer)."""
from typing import Optional

import torch.nn as nn
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapperDict

from mmssl.registry import OPTIM_WRAPPER_CONSTRUCTORS


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class PerModuleOptimWrapperConstructor:
    """Build an :class:`OptimWrapperDict` with one wrapper per submodule.

    MMEngine ships no multi-optimizer constructor (mmagic's
    ``MultiOptimWrapperConstructor`` plays this role there). Config::

        optim_wrapper = dict(
            constructor='PerModuleOptimWrapperConstructor',
            pose_generator=dict(type='OptimWrapper', optimizer=dict(...)),
            pose_discriminator=dict(type='OptimWrapper', optimizer=...))

    ``every_module=dict(...)`` gives that wrapper config to every other
    direct submodule with trainable parameters (not ``data_preprocessor``),
    so a config need not list them::

        optim_wrapper = dict(
            constructor='PerModuleOptimWrapperConstructor',
            every_module=dict(type='OptimWrapper', optimizer=dict(...)))

    Every other key names an attribute of the model (unwrapped from DDP); its
    wrapper holds exactly that module's parameters (built by MMEngine's
    ``DefaultOptimWrapperConstructor``, so ``paramwise_cfg`` inside a
    key's config works as usual). A key set to None is dropped (an
    inheriting config removes a module's optimizer with ``name=None``).

    Args:
        optim_wrapper_cfg (dict): ``{module name: wrapper config}``.
        paramwise_cfg (dict, optional): Not allowed at the top level (put it
            in a module's config).
    """

    def __init__(self, optim_wrapper_cfg: dict,
                 paramwise_cfg: Optional[dict] = None) -> None:
        if paramwise_cfg is not None:
            raise ValueError('PerModuleOptimWrapperConstructor: give '
                             'paramwise_cfg inside a module\'s wrapper config')
        optim_wrapper_cfg = {
            k: v for k, v in optim_wrapper_cfg.items() if v is not None}
        bad = [k for k, v in optim_wrapper_cfg.items()
               if not isinstance(v, dict) or 'optimizer' not in v]
        if bad:
            raise ValueError(f'optim_wrapper.{bad[0]} must be a wrapper '
                             'config with an "optimizer" (one per module)')
        self.optim_wrapper_cfg = optim_wrapper_cfg

    def __call__(self, model: nn.Module) -> OptimWrapperDict:
        if hasattr(model, 'module'):
            model = model.module
        cfgs = dict(self.optim_wrapper_cfg)
        every = cfgs.pop('every_module', None)
        if every is not None:
            for name, module in model.named_children():
                if name not in cfgs and name != 'data_preprocessor' and any(
                        p.requires_grad for p in module.parameters()):
                    cfgs[name] = every
        wrappers = {}
        for name, cfg in cfgs.items():
            module = getattr(model, name, None)
            if not isinstance(module, nn.Module):
                children = [n for n, m in model.named_children()]
                raise KeyError(
                    f'optim_wrapper.{name}: {type(model).__name__} has no '
                    f'submodule {name!r} (it has {children})')
            cfg = dict(cfg)
            paramwise = cfg.pop('paramwise_cfg', None)
            wrappers[name] = DefaultOptimWrapperConstructor(
                cfg, paramwise)(module)
        return OptimWrapperDict(**wrappers)
