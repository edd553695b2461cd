"""CSVR's training stages: which modules each builds and trains, and the
loading of branch checkpoints from earlier stages (Sec. IV-B
"Pretraining": pose CGAN and video TGANs first, then everything jointly)."""
import os.path as osp
from typing import Dict, Sequence

import torch.nn as nn
from mmengine.logging import print_log
from mmengine.runner.checkpoint import CheckpointLoader

from mmssl.utils.checkpoint_loading import (CheckpointMismatchError,
                                            _checkpoint_state, key_groups)

#: modules built in each stage (attribute names of :class:`CSVR`).
STAGE_MODULES = {
    'pose': ('pose_generator', 'pose_discriminator'),
    'context': ('backbone', 'video_neck', 'iframe_backbone', 'iframe_neck'),
    'video': ('backbone', 'video_neck', 'pose_generator', 'dynamic_neck',
              'integration', 'video_reconstructor', 'video_predictor',
              'reconstructor_discriminator', 'predictor_discriminator'),
    'joint': ('backbone', 'video_neck', 'iframe_backbone', 'iframe_neck',
              'pose_generator', 'pose_discriminator', 'dynamic_neck',
              'integration', 'video_reconstructor', 'video_predictor',
              'reconstructor_discriminator', 'predictor_discriminator'),
}
#: modules a stage builds but keeps frozen (taken from an earlier stage).
STAGE_FROZEN = {'video': ('pose_generator', )}
#: losses of each stage.
STAGE_LOSSES = {
    'pose': ('pose', ),
    'context': ('context', ),
    'video': ('video', ),
    'joint': ('pose', 'context', 'video'),
}
#: discriminators (their optimizers step on the discriminator losses).
DISCRIMINATORS = ('pose_discriminator', 'reconstructor_discriminator',
                  'predictor_discriminator')
#: the modules a stage's checkpoint contributes to a later stage.
BRANCH_PREFIXES = {
    'pose': ('pose_generator.', 'pose_discriminator.'),
    'context': ('backbone.', 'video_neck.', 'iframe_backbone.',
                'iframe_neck.'),
    'video': ('backbone.', 'video_neck.', 'dynamic_neck.', 'integration.',
              'video_reconstructor.', 'video_predictor.',
              'reconstructor_discriminator.', 'predictor_discriminator.'),
}


def load_branch_weights(model: nn.Module, filename: str,
                        prefixes: Sequence[str]) -> Dict[str, int]:
    """Load only the keys under ``prefixes`` from ``filename``, strictly.

    Keys of other branches in the checkpoint are ignored (a pose-stage
    checkpoint holds no trained V-Network; it must not overwrite one).

    Args:
        model (nn.Module): The (unwrapped) CSVR model.
        filename (str): Checkpoint path.
        prefixes (Sequence[str]): e.g. ``BRANCH_PREFIXES['pose']``.

    Returns:
        dict: ``{'loaded': n}``.

    Raises:
        CheckpointMismatchError: A key under ``prefixes`` is missing on
            either side or differs in shape.
    """
    if not osp.isfile(filename):
        raise FileNotFoundError(
            f'CSVR stage checkpoint {filename} (model.stage_checkpoints) does '
            'not exist: train that stage first (docs/methods/csvr.md)')
    checkpoint = CheckpointLoader.load_checkpoint(filename, map_location='cpu')
    state = _checkpoint_state(checkpoint)
    own = model.state_dict()
    prefixes = tuple(p for p in prefixes
                     if any(k.startswith(p) for k in own))
    picked = {k: v for k, v in state.items() if k.startswith(prefixes)}
    missing = [k for k in own if k.startswith(prefixes) and k not in picked]
    unexpected = [k for k in picked if k not in own]
    shapes = [k for k in picked if k in own and picked[k].shape != own[k]
              .shape]
    if missing or unexpected or shapes or not picked:
        raise CheckpointMismatchError(
            f'stage checkpoint {filename} does not fit '
            f'{", ".join(p.rstrip(".") for p in prefixes)}: missing '
            f'{key_groups(missing) or "none"}; unexpected '
            f'{key_groups(unexpected) or "none"}; shape mismatches '
            f'{shapes[:3] or "none"}; checkpoint holds '
            f'{key_groups(state, depth=1) or "no keys"}')
    model.load_state_dict(picked, strict=False)
    print_log(f'CSVR: loaded {len(picked)} keys '
              f'({key_groups(picked, depth=1)}) from {filename}',
              logger='current')
    return dict(loaded=len(picked))
