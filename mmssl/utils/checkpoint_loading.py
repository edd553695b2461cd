"""Load the weights an evaluation tool evaluates, strictly, or refuse.

MMEngine's ``load_from`` loads non-strictly: a checkpoint whose keys do not
match the model only logs "missing keys" and the randomly initialised model
is scored. Evaluation tools (``tools/test.py``,
``tools/analysis_tools/retrieval.py``) use :func:`prepare_evaluated_model`
instead, which

- loads the evaluated parts (``backbone.`` by default: every mmssl feature
  path, ``pooled_features`` / ``predict``, reads only the backbone) strictly:
  a missing, unexpected or differently shaped key there raises
  :class:`CheckpointMismatchError` naming the key groups with counts;
- loads the other parts non-strictly and logs their mismatches as groups
  (a fine-tuned checkpoint's ``cls_head.*`` is no error for retrieval);
- without a checkpoint, takes the weights of a model built from ``seed``
  (seed, build, ``init_weights()``), so the random-init baseline does not
  depend on what the tool did with the random generators before (MMEngine's
  ``Runner.test()`` never calls ``init_weights()``);
- logs which checkpoint (path, size, epoch/iter) or which seed was evaluated.
"""
import os.path as osp
import re
from collections import Counter
from typing import Dict, Iterable, Optional, Sequence

import torch
import torch.nn as nn
from mmengine.logging import print_log
from mmengine.runner.checkpoint import CheckpointLoader
from mmengine.runner.utils import set_random_seed

from mmssl.registry import MODELS

EVALUATED_PREFIXES = ('backbone.', )


class CheckpointMismatchError(RuntimeError):
    """A checkpoint does not fit the parts of the model being evaluated."""


def key_groups(keys: Iterable[str], depth: int = 2) -> str:
    """Summarise state-dict keys as ``prefix (count)`` groups.

    Args:
        keys (Iterable[str]): e.g. ``['backbone.conv1.conv.weight', ...]``.
        depth (int): Number of leading dotted components in a group name.

    Returns:
        str: e.g. ``'backbone.conv1 (3), backbone.layer1 (12)'``.
    """
    counts = Counter('.'.join(key.split('.')[:depth]) for key in keys)
    return ', '.join(f'{group} ({n})' for group, n in sorted(counts.items()))


def _checkpoint_state(checkpoint: dict) -> Dict[str, torch.Tensor]:
    """State dict of a loaded checkpoint, DDP ``module.`` prefix removed."""
    state = checkpoint.get('state_dict', checkpoint)
    return {re.sub(r'^module\.', '', key): value
            for key, value in state.items()}


def load_evaluated_weights(
        model: nn.Module,
        filename: str,
        evaluated: Sequence[str] = EVALUATED_PREFIXES) -> dict:
    """Load ``filename`` into ``model``: strict for the ``evaluated`` parts.

    Args:
        model (nn.Module): The (unwrapped) model.
        filename (str): Checkpoint path.
        evaluated (Sequence[str]): Key prefixes that must match exactly.

    Returns:
        dict: The checkpoint's ``meta`` (empty if it has none).

    Raises:
        CheckpointMismatchError: Missing, unexpected or mis-shaped keys
            under an evaluated prefix (or no key there at all).
    """
    checkpoint = CheckpointLoader.load_checkpoint(filename, map_location='cpu')
    if not isinstance(checkpoint, dict):
        raise CheckpointMismatchError(
            f'checkpoint {filename} holds a {type(checkpoint).__name__}, '
            'not a state dict')
    state = _checkpoint_state(checkpoint)
    own = model.state_dict()

    def in_scope(key):
        return key.startswith(tuple(evaluated))

    missing = [k for k in own if in_scope(k) and k not in state]
    unexpected = [k for k in state if in_scope(k) and k not in own]
    mis_shaped = [
        f'{k} {tuple(state[k].shape)} vs model {tuple(own[k].shape)}'
        for k in own if in_scope(k) and k in state
        and hasattr(state[k], 'shape') and state[k].shape != own[k].shape
    ]
    if missing or unexpected or mis_shaped:
        problems = []
        if missing:
            problems.append(f'missing {len(missing)} keys: '
                            f'{key_groups(missing)}')
        if unexpected:
            problems.append(f'unexpected {len(unexpected)} keys: '
                            f'{key_groups(unexpected)}')
        if mis_shaped:
            problems.append(f'{len(mis_shaped)} shape mismatches, e.g. '
                            f'{mis_shaped[0]}')
        raise CheckpointMismatchError(
            f'checkpoint {filename} does not fit the evaluated parts '
            f'{", ".join(p.rstrip(".") for p in evaluated)} of '
            f'{type(model).__name__}: {"; ".join(problems)}. The checkpoint '
            f'holds {key_groups(state, depth=1) or "no keys"}.')
    result = model.load_state_dict(state, strict=False)
    ignored = [k for k in result.unexpected_keys if not in_scope(k)]
    not_loaded = [k for k in result.missing_keys if not in_scope(k)]
    if ignored or not_loaded:
        print_log(
            'parts outside the evaluated ones do not match (not evaluated, '
            f'so allowed): checkpoint-only {key_groups(ignored) or "none"}; '
            f'kept from initialisation {key_groups(not_loaded) or "none"}',
            logger='current')
    return checkpoint.get('meta', {}) or {}


def init_random_weights(model: nn.Module, seed: int, model_cfg: dict) -> None:
    """Give ``model`` the weights of a fresh build from ``seed``.

    Seeds Python, NumPy and torch, builds ``model_cfg``, runs its
    ``init_weights()`` (MMEngine ``init_cfg``) and copies its state
    (parameters and buffers) into ``model``: the result does not depend on
    the random draws made before, e.g. by a runner.

    Args:
        model (nn.Module): The (unwrapped) model.
        seed (int): Seed of the random generators.
        model_cfg (dict): The config that built ``model``.
    """
    set_random_seed(seed)
    fresh = MODELS.build(model_cfg)
    if hasattr(fresh, 'init_weights'):
        fresh.init_weights()
    model.load_state_dict(fresh.state_dict())


def prepare_evaluated_model(model: nn.Module,
                            model_cfg: dict,
                            checkpoint: Optional[str],
                            seed: int,
                            evaluated: Sequence[str] = EVALUATED_PREFIXES
                            ) -> str:
    """Load ``checkpoint`` strictly (or seed a random init) and log it.

    Args:
        model (nn.Module): The (unwrapped) model, weights are replaced.
        model_cfg (dict): The config that built ``model``.
        checkpoint (str, optional): Checkpoint path, ``None`` for random
            initialisation.
        seed (int): Seed of the random initialisation.
        evaluated (Sequence[str]): Key prefixes loaded strictly.

    Returns:
        str: One line naming what is evaluated (also logged).
    """
    if checkpoint is None:
        init_random_weights(model, seed, model_cfg)
        line = f'Evaluating a randomly initialised model (seed {seed})'
    else:
        init_random_weights(model, seed, model_cfg)  # parts not in it
        meta = load_evaluated_weights(model, checkpoint, evaluated)
        where = ', '.join(f'{k} {meta[k]}' for k in ('epoch', 'iter')
                          if k in meta)
        line = (f'Evaluating checkpoint {osp.abspath(checkpoint)} '
                f'({osp.getsize(checkpoint)} bytes'
                f'{", " + where if where else ""}); '
                f'{", ".join(p.rstrip(".") for p in evaluated)} loaded '
                'strictly')
    print_log(line, logger='current')
    return line
