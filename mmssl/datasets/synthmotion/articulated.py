"""The articulated-figure SynthMotion variant (``'articulated'``): stick
figures whose movement is the class, with exact COCO-17 joints.

Written layout (docs/datasets/synthmotion_articulated.md)::

    <out_dir>/
        classes.txt, train_list.txt, val_list.txt, meta.json  (as SynthMotion)
        poses.pkl        MMAction2 1.1.0 skeleton annotation, exact joints,
                         dict(split=dict(train=[...], val=[...]),
                         annotations=[...]); frame_dir = video file stem
        videos/<class>/<split>_<class>_<index>.mp4   MPEG-4 Part 2, 25 fps

Used by CSVR's pose branch (issue 12, paper III-B) with exact poses instead
of an estimator's. Deterministic: each video is drawn from its own
generator seeded with ``(seed, split, label, index)``.
"""
import os
import os.path as osp
import shutil
from typing import Callable, Dict, List, Optional

import numpy as np

from ..pose_annotations import (load_pose_index, make_pose_record,
                                write_pose_pkl)
from .articulated_motion import ARTICULATED_CLASSES
from .articulated_render import render_articulated_video
from .layout import (SPLITS, dir_lock, read_meta, synthmotion_paths,
                     video_rng, write_json)
from .variants import register_synthmotion_variant
from .video_writer import VIDEO_EXT, VIDEO_FOURCC, write_video

__all__ = [
    'ARTICULATED_VERSION', 'ARTICULATED_DEFAULT_PARAMS', 'POSE_FILE',
    'articulated_paths', 'generate_articulated', 'ensure_articulated',
    'is_articulated_up_to_date'
]

#: Bumped whenever the rendered content, the poses or the layout change.
ARTICULATED_VERSION = 2
POSE_FILE = 'poses.pkl'
VARIANT = 'articulated'

#: Defaults: 96 frames fit CSVR's tiny layout (current + future clip of 8
#: frames at stride 4 span 61 frames); the paper's 16 x stride 4 needs 125.
ARTICULATED_DEFAULT_PARAMS = dict(
    num_train_per_class=16,
    num_val_per_class=8,
    seed=0,
    num_frames=96,
    height=64,
    width=64,
    fps=25.0)


def _params(**params) -> dict:
    size = params.pop('size', None)
    if size is not None:
        params['height'], params['width'] = size
    unknown = set(params) - set(ARTICULATED_DEFAULT_PARAMS)
    if unknown:
        raise TypeError('unknown articulated SynthMotion parameters: '
                        f'{sorted(unknown)}')
    out = dict(ARTICULATED_DEFAULT_PARAMS)
    out.update({k: v for k, v in params.items() if v is not None})
    for key in out:
        out[key] = float(out[key]) if key == 'fps' else int(out[key])
    if out['num_train_per_class'] < 0 or out['num_val_per_class'] < 0:
        raise ValueError('numbers of videos per class must be >= 0')
    return out


def articulated_paths(out_dir: str) -> Dict[str, str]:
    """SynthMotion's paths (:func:`synthmotion_paths`) plus ``poses``."""
    return dict(synthmotion_paths(out_dir), poses=osp.join(out_dir,
                                                           POSE_FILE))


def _generate_unlocked(out_dir: str, params: dict,
                       progress: Optional[Callable[[str], None]]) -> dict:
    paths = articulated_paths(out_dir)
    if read_meta(out_dir) is None and osp.exists(paths['video_dir']):
        raise FileExistsError(
            f'{paths["video_dir"]} exists but {out_dir} holds no SynthMotion '
            'meta.json; refusing to overwrite it. Choose another out_dir.')
    meta = dict(dataset='synthmotion', variant=VARIANT,
                generator_version=ARTICULATED_VERSION, params=params,
                classes=list(ARTICULATED_CLASSES), video_ext=VIDEO_EXT,
                fourcc=VIDEO_FOURCC, pose_file=POSE_FILE, complete=False)
    write_json(paths['meta'], meta)
    if osp.isdir(paths['video_dir']):
        shutil.rmtree(paths['video_dir'])
    with open(paths['classes'], 'w') as f:
        f.write(''.join(name + '\n' for name in ARTICULATED_CLASSES))
    records, split_names = [], {}
    for split in SPLITS:
        lines: List[str] = []
        split_names[split] = []
        for label, name in enumerate(ARTICULATED_CLASSES):
            os.makedirs(osp.join(paths['video_dir'], name), exist_ok=True)
            for index in range(params[f'num_{split}_per_class']):
                stem = f'{split}_{name}_{index:04d}'
                rel = f'videos/{name}/{stem}{VIDEO_EXT}'
                frames, joints = render_articulated_video(
                    label, video_rng(params['seed'], split, label, index),
                    params['num_frames'], params['height'], params['width'])
                write_video(osp.join(out_dir, rel), frames, params['fps'])
                records.append(make_pose_record(
                    stem, joints[None], np.ones((1, ) + joints.shape[:2]),
                    (params['height'], params['width']), label))
                split_names[split].append(stem)
                lines.append(f'{rel} {label}\n')
                if progress is not None:
                    progress(rel)
        with open(paths[f'{split}_list'], 'w') as f:
            f.write(''.join(lines))
    write_pose_pkl(paths['poses'], records, split_names)
    meta.update(complete=True,
                num_videos={k: len(v) for k, v in split_names.items()})
    write_json(paths['meta'], meta)
    return paths


def _is_up_to_date(out_dir: str, params: dict) -> bool:
    meta = read_meta(out_dir)
    if (meta is None or not meta.get('complete')
            or meta.get('variant') != VARIANT
            or meta.get('generator_version') != ARTICULATED_VERSION
            or meta.get('params') != params):
        return False
    paths = articulated_paths(out_dir)
    try:
        poses = load_pose_index(paths['poses'])
        for split in SPLITS:
            with open(paths[f'{split}_list']) as f:
                lines = f.read().splitlines()
            if len(lines) != meta['num_videos'][split]:
                return False
            for line in lines:
                rel = line.rsplit(' ', 1)[0]
                if not osp.isfile(osp.join(out_dir, rel)) or osp.splitext(
                        osp.basename(rel))[0] not in poses:
                    return False
    except (OSError, KeyError, ValueError):
        return False
    return True


def generate_articulated(out_dir: str,
                         progress: Optional[Callable[[str], None]] = None,
                         **params) -> Dict[str, str]:
    """(Re)generate the articulated variant in ``out_dir`` unconditionally.

    Args:
        out_dir (str): Dataset root (``data_prefix``); created if missing.
        progress (Callable[[str], None], optional): Called with each
            written video's relative path.
        **params: ``num_train_per_class`` (16), ``num_val_per_class`` (8),
            ``seed`` (0), ``num_frames`` (96), ``height`` (64), ``width``
            (64), ``fps`` (25) or ``size=(H, W)``.

    Returns:
        dict[str, str]: :func:`articulated_paths` (``poses`` included).
    """
    params = _params(**params)
    with dir_lock(out_dir):
        return _generate_unlocked(out_dir, params, progress)


@register_synthmotion_variant(VARIANT)
def ensure_articulated(out_dir: str,
                       progress: Optional[Callable[[str], None]] = None,
                       **params) -> Dict[str, str]:
    """Generate the variant in ``out_dir`` unless an up-to-date copy is
    there (same parameters and generator version, every file present).
    Safe to call from several processes (they serialise on a lock file).
    Parameters as :func:`generate_articulated`."""
    params = _params(**params)
    with dir_lock(out_dir):
        if _is_up_to_date(out_dir, params):
            return articulated_paths(out_dir)
        return _generate_unlocked(out_dir, params, progress)


def is_articulated_up_to_date(out_dir: str, **params) -> bool:
    """Whether :func:`ensure_articulated` would keep ``out_dir`` as it is."""
    return _is_up_to_date(out_dir, _params(**params))
