"""One augmentation draw per explicit group of clips (groups may differ in
size or be non-contiguous)."""
from typing import Callable, Dict, List, Optional, Sequence, Union

import numpy as np
from mmcv.transforms import BaseTransform

from mmssl.registry import TRANSFORMS
from .augment import PerClipTransform, _equal, split_clip_frames


@TRANSFORMS.register_module()
class ClipGroupsTransform(BaseTransform):
    """Run a pipeline once per group of clips given by their indices.

    :class:`PerClipTransform` draws once per clip or per equal-size run of
    consecutive clips. Some methods need other groupings, e.g. RSPNet's
    ``[query | same-speed key, different-speed key]``: the query gets its
    own augmentation and the two keys share one, so that only their speed
    differs (Chen et al., AAAI 2021, authors' data path). Each group runs
    through the wrapped transforms as one draw (``PerClipTransform`` with
    ``num_groups=1`` on the group's frames); the frames are put back in the
    original clip order.

    Required Keys: ``imgs``, ``num_clips``, ``clip_len`` (+ what the
    wrapped transforms need).

    Modified Keys: ``imgs``, ``clip_len`` (if the transforms change it),
    the ``shared_keys``.

    Added Keys: ``clip_params`` (one dict per clip, as
    :class:`PerClipTransform`; an existing list of ``num_clips`` dicts is
    extended).

    Args:
        transforms (list[dict | callable]): Transforms (built with mmssl's
            ``TRANSFORMS``) or objects.
        groups (Sequence[Sequence[int]]): Clip indices of each group; every
            clip in exactly one group, e.g. ``((0,), (1, 2))``.
        shared_keys (Sequence[str]): Keys that must agree across groups.
            Defaults to ``('img_shape',)``.
    """

    def __init__(self,
                 transforms: Union[dict, Callable, List[Union[dict,
                                                              Callable]]],
                 groups: Sequence[Sequence[int]],
                 shared_keys: Sequence[str] = ('img_shape', )) -> None:
        self.groups = tuple(tuple(int(c) for c in g) for g in groups)
        flat = [c for g in self.groups for c in g]
        if not self.groups or any(not g for g in self.groups) or sorted(
                flat) != list(range(len(flat))):
            raise ValueError('groups must partition the clip indices 0..n-1 '
                             f'(each exactly once), got {groups}')
        self.num_clips = len(flat)
        self.shared_keys = tuple(shared_keys)
        self.wrapped = PerClipTransform(
            transforms, num_groups=1, shared_keys=self.shared_keys)

    def transform(self, results: Dict) -> Optional[Dict]:
        imgs = results['imgs']
        frames, base, num_clips, clip_len = split_clip_frames(
            results, 'ClipGroupsTransform', self.wrapped.private_frames)
        if num_clips != self.num_clips:
            raise ValueError(f'ClipGroupsTransform: groups {self.groups} '
                             f'cover {self.num_clips} clips, the sample has '
                             f'num_clips={num_clips}')
        clip_frames: List[Optional[list]] = [None] * num_clips
        clip_params: List[Optional[dict]] = [None] * num_clips
        outs = []
        for group in self.groups:
            sub = dict(
                base,
                imgs=[f for c in group
                      for f in frames[c * clip_len:(c + 1) * clip_len]],
                num_clips=len(group),
                clip_len=clip_len)
            out = self.wrapped(sub)
            if out is None:
                return None
            outs.append(out)
            new_len = int(out['clip_len'])
            for i, c in enumerate(group):
                clip_frames[c] = list(out['imgs'][i * new_len:(i + 1) *
                                                  new_len])
                clip_params[c] = out['clip_params'][i]
        lens = {len(f) for f in clip_frames}
        shapes = {np.shape(f) for fr in clip_frames for f in fr}
        if len(lens) != 1 or len(shapes) != 1:
            raise ValueError(f'ClipGroupsTransform: groups ended with '
                             f'different clip lengths {sorted(lens)} or '
                             f'frame sizes {sorted(shapes)}; end the wrapped '
                             'pipeline with a fixed-size Resize')
        merged = [f for fr in clip_frames for f in fr]
        results['imgs'] = np.stack(merged) if isinstance(
            imgs, np.ndarray) else merged
        results['clip_len'] = lens.pop()
        for k in self.shared_keys:
            vals = [o[k] for o in outs if k in o]
            if not vals:
                continue
            if not all(_equal(vals[0], v) for v in vals[1:]):
                raise ValueError(f'ClipGroupsTransform: shared key {k!r} '
                                 f'differs across groups: {vals}')
            results[k] = vals[0]
        # keys the groups moved into clip_params (PerClipTransform removes
        # them from the top level: one value cannot describe every clip)
        for k in [k for k in base if all(k not in o for o in outs)]:
            results.pop(k, None)
        old = results.get('clip_params')
        if isinstance(old, list) and len(old) == num_clips:
            clip_params = [dict(a, **b) for a, b in zip(old, clip_params)]
        results['clip_params'] = clip_params
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(groups={self.groups}, '
                f'transforms={self.wrapped.transforms})')
