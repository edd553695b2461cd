"""A different photometric pipeline for each view (clip) of a sample."""
from typing import Callable, Dict, List, Optional, Sequence, Union

import numpy as np
from mmcv.transforms import BaseTransform

from mmssl.registry import TRANSFORMS
from .augment import PerClipTransform, split_clip_frames

TransformList = List[Union[dict, Callable]]


@TRANSFORMS.register_module()
class PerViewTransform(BaseTransform):
    """Run pipeline ``i`` on clip ``i`` only (asymmetric view augmentation).

    Two-view contrastive methods may augment their views differently. CVRL's
    released pipeline (TensorFlow Model Garden,
    ``official/projects/video_ssl/dataloaders/video_ssl_input.py``) blurs
    view 1 with probability 1.0 and view 2 with 0.1, and solarises only
    view 2 (p 0.2), as BYOL does. :class:`PerClipTransform` applies one
    pipeline to every clip; this wrapper applies ``view_transforms[i]`` to
    clip ``i``, one random draw per clip, shared by its frames.

    Only photometric transforms are allowed: frame size and clip length must
    not change (put crops in a :class:`PerClipTransform` before this one).

    Required Keys: ``imgs``, ``num_clips`` (= ``len(view_transforms)``),
    ``clip_len``.

    Modified Keys: ``imgs``.

    Added Keys: ``clip_params`` (one dict per clip with what the view's
    transforms recorded, e.g. ``blur_sigma``, ``solarized``; an existing list
    of ``num_clips`` dicts is extended).

    Args:
        view_transforms (Sequence[list[dict | callable]]): One pipeline per
            view; ``[]`` leaves a view unchanged.
    """

    def __init__(self, view_transforms: Sequence[TransformList]) -> None:
        if not view_transforms:
            raise ValueError('view_transforms needs one pipeline per view')
        self.views = [
            PerClipTransform(list(t), num_groups=1) if t else None
            for t in view_transforms
        ]

    def transform(self, results: Dict) -> Optional[Dict]:
        imgs = results['imgs']
        frames, base, num_clips, clip_len = split_clip_frames(
            results, 'PerViewTransform',
            any(v.private_frames for v in self.views if v is not None))
        if num_clips != len(self.views):
            raise ValueError(f'PerViewTransform: {len(self.views)} view '
                             f'pipelines for num_clips={num_clips}')
        merged, params = [], []
        for i, view in enumerate(self.views):
            clip = frames[i * clip_len:(i + 1) * clip_len]
            if view is None:
                merged.extend(clip)
                params.append({})
                continue
            out = view(dict(base, imgs=clip, num_clips=1, clip_len=clip_len))
            if out is None:
                return None
            if len(out['imgs']) != clip_len or any(
                    np.shape(a) != np.shape(b)
                    for a, b in zip(out['imgs'], clip)):
                raise ValueError(f'PerViewTransform: view {i} changed the '
                                 'frame count or size; only photometric '
                                 'transforms are allowed here')
            merged.extend(out['imgs'])
            params.append(out['clip_params'][0])
        results['imgs'] = np.stack(merged) if isinstance(
            imgs, np.ndarray) else merged
        old = results.get('clip_params')
        if isinstance(old, list) and len(old) == num_clips:
            params = [dict(a, **b) for a, b in zip(old, params)]
        results['clip_params'] = params
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(views={self.views})'
