"""Convert a released state dict with a :class:`~.specs.ConverterSpec` and
check it against the target backbone."""
from typing import Dict, Optional, Sequence, Tuple

import torch

from .key_mapping import (ConversionError, ConversionReport, DropRule,
                          fill_num_batches_tracked, rename_keys,
                          select_prefix)
from .specs import ConverterSpec


def check_fits(state: Dict[str, torch.Tensor],
               target_state: Dict[str, torch.Tensor],
               optional_target: Sequence[DropRule] = (),
               renamed: Optional[Dict[str, str]] = None) -> None:
    """Raise unless ``state`` has exactly the target's keys and shapes.

    Target keys matched by ``optional_target`` may be absent. ``renamed``
    (source -> target names) lets the error name the source keys too.

    Raises:
        ConversionError: listing missing keys, unexpected keys and shape
            mismatches (``key: source shape -> target shape``).
    """
    missing = [k for k in target_state if k not in state and not any(
        rule.matches(k) for rule in optional_target)]
    source_of = {t: s for s, t in (renamed or {}).items()}
    unexpected = [
        f'{k} (from {source_of[k]})' if k in source_of else k
        for k in state if k not in target_state
    ]
    shapes = [
        f'{k}: {tuple(v.shape)} -> {tuple(target_state[k].shape)}'
        for k, v in state.items()
        if k in target_state and v.shape != target_state[k].shape
    ]
    problems = []
    for title, items in (('missing in the release', missing),
                         ('not in the target backbone', unexpected),
                         ('shape mismatch', shapes)):
        if items:
            problems.append(f'{len(items)} {title}: {items[:8]}'
                            f'{" ..." if len(items) > 8 else ""}')
    if problems:
        raise ConversionError('converted weights do not fit the target '
                              'backbone; ' + '; '.join(problems))


def build_backbone(backbone_cfg: dict) -> torch.nn.Module:
    """Build a backbone config with mmssl's registry (MMAction2 types
    resolve through it)."""
    from mmssl.registry import MODELS
    from mmssl.utils import register_all_modules
    register_all_modules(init_default_scope=False)
    return MODELS.build(dict(backbone_cfg))


def convert_state_dict(
        spec: ConverterSpec,
        source_state: Dict[str, torch.Tensor],
        backbone_cfg: Optional[dict] = None,
        **backbone_kwargs) -> Tuple[Dict[str, torch.Tensor], dict,
                                    ConversionReport]:
    """Convert ``source_state`` into the keys of ``spec``'s backbone.

    Args:
        spec (ConverterSpec): The released format.
        source_state (dict[str, Tensor]): The released state dict (see
            :func:`~.checkpoint_io.read_released_checkpoint`).
        backbone_cfg (dict, optional): Target backbone; defaults to the
            spec's.
        **backbone_kwargs: Passed to a spec whose backbone is derived from
            the weights (e.g. ``num_frames``, ``img_size`` for VideoMAE).

    Returns:
        tuple: backbone state dict (no prefix), backbone config, report.

    Raises:
        ConversionError: if a key is unknown or the result does not fit.
    """
    report = ConversionReport()
    state = select_prefix(source_state, spec.prefixes, report)
    state = dict(state)
    fill_num_batches_tracked(state, report)
    state, report = rename_keys(state, spec.rules, spec.drops, report)
    if spec.post_rename is not None:
        spec.post_rename(state, report)
    cfg = backbone_cfg or spec.backbone_cfg(state, **backbone_kwargs)
    target_state = build_backbone(cfg).state_dict()
    if spec.post_target is not None:
        spec.post_target(state, target_state, report)
    check_fits(state, target_state, spec.optional_target, report.renamed)
    return state, cfg, report
