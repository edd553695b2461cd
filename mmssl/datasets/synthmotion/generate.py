"""Generation of a SynthMotion dataset directory, once or unconditionally."""
import os
import os.path as osp
import shutil
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np

from .layout import (SPLITS, dir_lock, read_meta, synthmotion_paths,
                     video_rng, write_json)
from .params import (DEFAULT_PARAMS, SYNTHMOTION_CLASSES,
                     SYNTHMOTION_VERSION, normalise_params)
from .render import render_video
from .video_writer import VIDEO_EXT, VIDEO_FOURCC, write_video

__all__ = [
    'generate_synthmotion', 'ensure_synthmotion', 'is_synthmotion_up_to_date'
]


def _render_default(params: dict, split: str, label: int,
                    index: int) -> np.ndarray:
    """SynthMotion's video ``index`` of class ``label`` in ``split``."""
    return render_video(
        label, video_rng(params['seed'], split, label, index),
        params['num_frames'], params['height'], params['width'],
        motion=params['motion'])


def _generate_unlocked(out_dir: str, params: dict,
                       progress: Optional[Callable[[str], None]],
                       render: Callable[..., np.ndarray] = _render_default,
                       variant: Optional[str] = None,
                       version: int = SYNTHMOTION_VERSION
                       ) -> Dict[str, str]:
    """Write the dataset; ``render(params, split, label, index)`` draws
    each video, ``variant`` / ``version`` go into ``meta.json`` (variants
    that share SynthMotion's classes and layout, e.g. ``'rgb'``)."""
    paths = synthmotion_paths(out_dir)
    old_meta = read_meta(out_dir)
    if old_meta is None and osp.exists(paths['video_dir']):
        raise FileExistsError(
            f'{paths["video_dir"]} exists but {out_dir} holds no SynthMotion '
            'meta.json; refusing to overwrite it. Choose another out_dir.')
    # Mark the directory as an unfinished SynthMotion dataset first, so an
    # interrupted run is recognised (and regenerated) later.
    meta = dict(
        dataset='synthmotion',
        generator_version=version,
        params=params,
        classes=list(SYNTHMOTION_CLASSES),
        video_ext=VIDEO_EXT,
        fourcc=VIDEO_FOURCC,
        complete=False)
    if variant is not None:
        meta['variant'] = variant
    write_json(paths['meta'], meta)
    if osp.isdir(paths['video_dir']):
        shutil.rmtree(paths['video_dir'])

    with open(paths['classes'], 'w') as f:
        f.write(''.join(name + '\n' for name in SYNTHMOTION_CLASSES))
    counts = dict(
        train=params['num_train_per_class'], val=params['num_val_per_class'])
    for split in SPLITS:
        lines: List[str] = []
        for label, name in enumerate(SYNTHMOTION_CLASSES):
            class_dir = osp.join(paths['video_dir'], name)
            os.makedirs(class_dir, exist_ok=True)
            for index in range(counts[split]):
                rel = f'videos/{name}/{split}_{name}_{index:04d}{VIDEO_EXT}'
                frames = render(params, split, label, index)
                write_video(osp.join(out_dir, rel), frames, params['fps'])
                lines.append(f'{rel} {label}\n')
                if progress is not None:
                    progress(rel)
        with open(paths[f'{split}_list'], 'w') as f:
            f.write(''.join(lines))

    meta.update(
        complete=True,
        num_videos=dict(
            train=counts['train'] * len(SYNTHMOTION_CLASSES),
            val=counts['val'] * len(SYNTHMOTION_CLASSES)))
    write_json(paths['meta'], meta)
    return paths


def _is_up_to_date(out_dir: str, params: dict,
                   variant: Optional[str] = None,
                   version: int = SYNTHMOTION_VERSION) -> bool:
    meta = read_meta(out_dir)
    if (meta is None or not meta.get('complete')
            or meta.get('variant') != variant
            or meta.get('generator_version') != version
            # datasets written before the ``motion`` option accelerate
            or dict(DEFAULT_PARAMS, **(meta.get('params') or {})) != params
            or meta.get('classes') != list(SYNTHMOTION_CLASSES)):
        return False
    paths = synthmotion_paths(out_dir)
    if not osp.isfile(paths['classes']):
        return False
    for split in SPLITS:
        try:
            with open(paths[f'{split}_list']) as f:
                lines = f.read().splitlines()
        except OSError:
            return False
        if len(lines) != meta['num_videos'][split]:
            return False
        for line in lines:
            if not osp.isfile(osp.join(out_dir, line.rsplit(' ', 1)[0])):
                return False
    return True


def generate_synthmotion(out_dir: str,
                         num_train_per_class: int = 16,
                         num_val_per_class: int = 8,
                         seed: int = 0,
                         num_frames: int = 48,
                         height: int = 64,
                         width: int = 64,
                         fps: float = 25,
                         size: Optional[Sequence[int]] = None,
                         motion: str = 'accelerating',
                         progress: Optional[Callable[[str], None]] = None
                         ) -> Dict[str, str]:
    """(Re)generate the SynthMotion dataset in ``out_dir``, unconditionally.

    Existing SynthMotion outputs in ``out_dir`` (``videos/``, lists,
    ``classes.txt``, ``meta.json``) are replaced; other files are left alone.
    A ``videos/`` folder not made by this generator is never deleted.

    Args:
        out_dir (str): Dataset root (``data_prefix``); created if missing.
        num_train_per_class (int): Training videos per class. Defaults to 16.
        num_val_per_class (int): Validation videos per class. Defaults to 8.
        seed (int): Global seed. Defaults to 0.
        num_frames (int): Frames per video T. Defaults to 48.
        height (int): Frame height H. Defaults to 64.
        width (int): Frame width W. Defaults to 64.
        fps (float): Frame rate written to the files. Defaults to 25.
        size (Sequence[int], optional): ``(H, W)``; overrides ``height`` and
            ``width`` when given. Defaults to None.
        motion (str): Motion timing, ``'accelerating'`` (default) or
            ``'constant'``; see :data:`MOTION_TIMINGS`.
        progress (Callable[[str], None], optional): Called with the relative
            path of each video after it is written (e.g. to advance a
            progress bar). Defaults to None.

    Returns:
        dict[str, str]: Paths, see :func:`synthmotion_paths`.

    Raises:
        FileExistsError: If ``out_dir/videos`` exists but ``out_dir`` is not a
            SynthMotion dataset.
    """
    params = normalise_params(
        num_train_per_class=num_train_per_class,
        num_val_per_class=num_val_per_class,
        seed=seed,
        num_frames=num_frames,
        height=height,
        width=width,
        fps=fps,
        size=size,
        motion=motion)
    with dir_lock(out_dir):
        return _generate_unlocked(out_dir, params, progress)


def ensure_synthmotion(out_dir: str,
                       progress: Optional[Callable[[str], None]] = None,
                       **params) -> Dict[str, str]:
    """Generate SynthMotion in ``out_dir`` unless it is already there.

    The dataset is (re)generated only if ``meta.json`` is missing, marks an
    interrupted run, was written by another generator version or with other
    parameters, or if a listed file is missing. Safe to call concurrently from
    several processes on one machine (they serialise on a lock file).

    Args:
        out_dir (str): Dataset root (``data_prefix``).
        progress (Callable[[str], None], optional): See
            :func:`generate_synthmotion`.
        **params: Any of :func:`generate_synthmotion`'s parameters
            (``num_train_per_class``, ``num_val_per_class``, ``seed``,
            ``num_frames``, ``height``, ``width``, ``fps``, ``size``,
            ``motion``); missing
            ones take the defaults.

    Returns:
        dict[str, str]: Paths, see :func:`synthmotion_paths`.
    """
    params = normalise_params(**params)
    with dir_lock(out_dir):
        if _is_up_to_date(out_dir, params):
            return synthmotion_paths(out_dir)
        return _generate_unlocked(out_dir, params, progress)


def is_synthmotion_up_to_date(out_dir: str, **params) -> bool:
    """Whether ``out_dir`` holds a complete SynthMotion dataset for ``params``.

    Args:
        out_dir (str): Dataset root.
        **params: As for :func:`ensure_synthmotion` (defaults filled in).

    Returns:
        bool: True if :func:`ensure_synthmotion` would not regenerate.
    """
    return _is_up_to_date(out_dir, normalise_params(**params))
