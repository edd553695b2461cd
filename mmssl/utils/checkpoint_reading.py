"""Read local checkpoints with errors that name the file.

MMEngine's local checkpoint loader calls ``torch.load`` directly, so a
truncated file fails with ``PytorchStreamReader failed reading zip archive``
and an empty one with a bare ``EOFError``, neither naming the file. mmssl
registers :func:`load_local_checkpoint` for MMEngine's local scheme (prefix
``''``) through :meth:`CheckpointLoader.register_scheme`, the extension
point MMEngine provides, so ``load_from``, ``--resume`` and every
``load_checkpoint`` call in mmssl's tools report the file.

Refused payloads keep their type (:class:`pickle.UnpicklingError`, see
:mod:`mmssl.utils.checkpoint_safety`) with the file name prepended.
"""
import os.path as osp
import pickle
import zipfile

import torch


class CheckpointReadError(RuntimeError):
    """A checkpoint file exists but cannot be read (empty, cut, corrupt)."""


def load_local_checkpoint(filename: str, map_location=None) -> dict:
    """``torch.load`` a local checkpoint, naming the file in every error.

    Args:
        filename (str): Path of the checkpoint (``~`` is expanded).
        map_location: As for :func:`torch.load`.

    Returns:
        dict: The loaded checkpoint.

    Raises:
        FileNotFoundError: The file does not exist.
        CheckpointReadError: The file is empty, truncated or not a
            checkpoint.
        pickle.UnpicklingError: The file carries a payload torch's
            ``weights_only`` unpickler refuses.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'checkpoint not found: {filename}')
    size = osp.getsize(filename)
    if size == 0:
        raise CheckpointReadError(
            f'checkpoint {filename} is empty (0 bytes): it was cut off while '
            'being written or copied')
    try:
        return torch.load(filename, map_location=map_location)
    except pickle.UnpicklingError as err:
        raise pickle.UnpicklingError(f'checkpoint {filename}: {err}') from err
    except (RuntimeError, EOFError, zipfile.BadZipFile, ValueError,
            OSError) as err:
        first_line = str(err).strip().splitlines()[0] if str(err) else ''
        raise CheckpointReadError(
            f'checkpoint {filename} ({size} bytes) cannot be read; it is '
            f'truncated or corrupt ({type(err).__name__}: {first_line})'
        ) from err


def register_checkpoint_reader() -> None:
    """Make MMEngine load local checkpoints with :func:`load_local_checkpoint`
    (idempotent)."""
    from mmengine.runner.checkpoint import CheckpointLoader
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_local_checkpoint, force=True)
