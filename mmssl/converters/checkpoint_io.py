"""Read released checkpoints and write converted ones."""
import os
import os.path as osp
import pickle
from typing import Dict, Optional, Sequence

import torch

from .key_mapping import ConversionError

#: Keys under which released checkpoints keep their weights, tried in order.
STATE_DICT_KEYS = ('state_dict', 'model', 'model_state', 'module', 'net')


def read_released_checkpoint(path: str,
                             trust: bool = False,
                             state_keys: Sequence[str] = STATE_DICT_KEYS
                             ) -> Dict[str, torch.Tensor]:
    """Load the tensors of a released checkpoint.

    The file is read with ``torch.load(weights_only=True)``. Authors'
    checkpoints often pickle other objects too (argparse namespaces, AMP
    scaler states); those are refused unless ``trust`` is set, in which case
    the file is unpickled in full (only do that for files from a source you
    trust: unpickling runs code).

    Args:
        path (str): The released file (``.pth``, ``.pth.tar``, ``.pt``, or a
            Hugging Face ``pytorch_model.bin``).
        trust (bool): Allow arbitrary pickled objects.
        state_keys (Sequence[str]): Where to look for the state dict inside a
            dict checkpoint; a flat ``{name: tensor}`` file is used as is.

    Returns:
        dict[str, Tensor]: The state dict.

    Raises:
        ConversionError: naming the file if it is missing, unreadable, needs
            ``--trust-checkpoint``, or holds no state dict.
    """
    if not osp.isfile(path):
        raise ConversionError(f'checkpoint not found: {path}')
    try:
        ckpt = torch.load(path, map_location='cpu', weights_only=not trust)
    except pickle.UnpicklingError as err:
        raise ConversionError(
            f'{path} pickles objects other than tensors ({err}); if you '
            'trust its source, pass --trust-checkpoint') from err
    except Exception as err:  # noqa: BLE001 - name the file in any case
        raise ConversionError(f'cannot read {path}: {err}') from err
    if not isinstance(ckpt, dict):
        raise ConversionError(f'{path} holds a {type(ckpt).__name__}, not a '
                              'state dict')
    if ckpt and all(isinstance(v, torch.Tensor) for v in ckpt.values()):
        return ckpt
    for key in state_keys:
        inner = ckpt.get(key)
        if isinstance(inner, dict) and inner and all(
                isinstance(v, torch.Tensor) for v in inner.values()):
            return inner
    raise ConversionError(
        f'{path}: no state dict under any of {list(state_keys)}; top-level '
        f'keys are {sorted(map(str, ckpt))[:12]}')


def save_converted_checkpoint(path: str,
                              backbone_state: Dict[str, torch.Tensor],
                              meta: Optional[dict] = None,
                              prefix: str = 'backbone.') -> None:
    """Write an mmssl checkpoint: ``{'state_dict': {prefix + key: tensor},
    'meta': meta}``.

    With ``prefix='backbone.'`` the file is loadable by MMAction2's
    ``Recognizer3D`` through ``load_from`` and by every mmssl evaluation
    protocol, like a checkpoint of an mmssl pretraining run. The file is
    written to a temporary name first and renamed, so a crash never leaves a
    truncated checkpoint.
    """
    out_dir = osp.dirname(osp.abspath(path))
    os.makedirs(out_dir, exist_ok=True)
    state = {prefix + k: v.contiguous() for k, v in backbone_state.items()}
    tmp = path + '.tmp'
    torch.save({'state_dict': state, 'meta': dict(meta or {})}, tmp)
    os.replace(tmp, path)
