"""First-run generation of an embedded SynthMotion dataset for a config.

A dataset config with ``generate_if_missing='default'`` (or another name of
:data:`~mmssl.datasets.synthmotion.SYNTHMOTION_VARIANTS`, or
``dict(variant='default', **params)``) generates that variant into its data
root when the annotation list is missing, so ``tools/train.py CONFIG`` works
on a fresh clone. Generation is deterministic (the same files as
``python tools/data/generate_synthmotion.py --out-dir DIR``), takes seconds
and is logged. In a multi-process run every rank calls this; the variant's
``ensure`` holds a file lock on the directory, so the first process
generates and the others wait for it and then find the dataset complete.

Without the option a missing list raises :class:`FileNotFoundError` whose
message names the generator command (:func:`missing_list_message`).
"""
import os.path as osp
import time
from typing import Optional, Union

from mmengine.fileio import exists
from mmengine.logging import MMLogger

__all__ = ['GENERATOR_COMMAND', 'ensure_annotation_list',
           'missing_list_message']

GENERATOR_COMMAND = 'python tools/data/generate_synthmotion.py --out-dir {}'


def missing_list_message(ann_file: str, data_root: str) -> str:
    """The error message for a missing annotation list, with the way out."""
    return (f'annotation file not found: {ann_file}. If this is the embedded '
            f'SynthMotion dataset, generate it with `'
            f'{GENERATOR_COMMAND.format(data_root)}` or set '
            "generate_if_missing='default' on the dataset (the SynthMotion "
            'base configs do); public datasets: docs/datasets/README.md')


def _split_spec(spec: Union[str, dict]):
    if isinstance(spec, str):
        return spec, {}
    if isinstance(spec, dict) and 'variant' in spec:
        params = dict(spec)
        return params.pop('variant'), params
    raise TypeError('generate_if_missing must be a SynthMotion variant name '
                    "or dict(variant=NAME, **params), got "
                    f'{spec!r}')


def _needs_generation(ann_file: str, data_root: str) -> bool:
    from mmssl.datasets.synthmotion.layout import read_meta
    if not exists(ann_file):
        return True
    meta = read_meta(data_root)
    # another process is generating (or was interrupted): wait / redo
    return meta is not None and not meta.get('complete', False)


def ensure_annotation_list(ann_file: str,
                           data_root: Optional[str],
                           spec: Union[str, dict, None]) -> None:
    """Generate the SynthMotion variant ``spec`` if ``ann_file`` is missing.

    Args:
        ann_file (str): The dataset's annotation list.
        data_root (str, optional): The dataset root (``data_prefix['video']``)
            the variant is written to; default: the list's directory.
        spec (str | dict | None): Variant name, or
            ``dict(variant=NAME, **params)`` with the variant's parameters
            (e.g. ``num_frames``); ``None``: never generate.

    Raises:
        FileNotFoundError: ``ann_file`` is missing and ``spec`` is None
            (the message names the generator command), or the variant does
            not write ``ann_file``.
        KeyError: Unknown variant name (the message lists the known ones).
    """
    data_root = data_root or osp.dirname(ann_file) or '.'
    if spec is None:
        if not exists(ann_file):
            raise FileNotFoundError(missing_list_message(ann_file, data_root))
        return
    if not _needs_generation(ann_file, data_root):
        return
    from mmssl.datasets.synthmotion import get_synthmotion_variant
    name, params = _split_spec(spec)
    ensure = get_synthmotion_variant(name)
    logger = MMLogger.get_current_instance()
    logger.info(f'{ann_file} not found: generating SynthMotion variant '
                f'{name!r} in {data_root} (deterministic, done once; same '
                f'as `{GENERATOR_COMMAND.format(data_root)}` for the default '
                'variant)')
    start = time.time()
    paths = ensure(data_root, **params)
    if not exists(ann_file):
        raise FileNotFoundError(
            f'generate_if_missing={spec!r} wrote {sorted(paths.values())} '
            f'but not the annotation file {ann_file}; check ann_file and '
            'data_prefix of the dataset config')
    logger.info(f'SynthMotion variant {name!r} ready in {data_root} '
                f'({time.time() - start:.1f} s)')
