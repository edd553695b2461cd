"""Frames shared by reference until a clip's own augmentation (issue 16).

A multi-clip sample often repeats frames: twins (TCLR/STCLR's augmented
copies of a clip) and overlapping clips. :class:`DecordDecodeUnion` decodes
each frame once; the helpers here keep it that way through the
deterministic steps that follow:

- the decoded ``imgs`` list holds the *same* array object wherever a frame
  index repeats (:func:`share_frames`);
- ``Resize`` (:class:`SharedFrameResize`, registered under MMAction2's name so
  configs need no change) resizes each distinct frame once and repeats the
  result by reference (:func:`map_unique`);
- a frame that may be seen more than once is marked read-only
  (``flags.writeable = False``): an in-place write into it fails loudly
  instead of changing another clip's pixels. Crop views of it inherit the
  flag; fresh arrays (resize, colour ops) are writable;
- ``Flip`` (:class:`SharedFrameFlip`, MMAction2's name again), the one
  MMAction2 transform that writes into its input, copies such frames first
  (copy-on-write, :func:`writable_frames`);
- the per-clip wrappers copy nothing when their pipeline resizes before
  any transform that could write in place (:func:`needs_private_frames`).

Normalisation is not a pipeline transform in mmssl (the data preprocessor
normalises batches), so resize is the only per-frame deterministic step.
"""
from typing import Callable, List, Sequence

import numpy as np
from mmaction.datasets.transforms import (CenterCrop, Flip, MultiScaleCrop,
                                          RandomCrop, RandomResizedCrop,
                                          Resize)

from mmssl.registry import TRANSFORMS

# Transforms whose output frames are views of their input (never written).
_VIEW_TRANSFORMS = (RandomCrop, RandomResizedCrop, MultiScaleCrop, CenterCrop)


def memory_key(frame: np.ndarray) -> tuple:
    """Identity of a frame's memory: data address, shape, strides, dtype."""
    return (frame.__array_interface__['data'][0], frame.shape, frame.strides,
            frame.dtype.str)


def share_frames(unique: np.ndarray, inverse: np.ndarray) -> List[np.ndarray]:
    """Gather decoded frames into sample order without copying.

    Args:
        unique (np.ndarray | list[np.ndarray]): ``(N, H, W, C)`` decoded
            frames, or a list of N ``(H, W, C)`` frames, each once.
        inverse (np.ndarray): ``(T,)`` index into ``unique`` per output frame.

    Returns:
        list[np.ndarray]: ``T`` views of ``unique`` (or its frames);
        entries of a repeated index are the same object, marked read-only.
    """
    counts = np.bincount(inverse, minlength=len(unique))
    views = list(unique)  # one view object per decoded frame
    for view, count in zip(views, counts):
        if count > 1:
            view.flags.writeable = False
    return [views[i] for i in inverse]


def map_unique(fn: Callable[[np.ndarray], np.ndarray],
               frames: Sequence[np.ndarray]) -> List[np.ndarray]:
    """Apply ``fn`` once per distinct frame memory; repeats share the result.

    Args:
        fn (callable): ``(H, W, C) -> (H', W', C)``, deterministic.
        frames (sequence[np.ndarray]): frames, possibly repeating objects or
            views of the same memory (:func:`memory_key`).

    Returns:
        list[np.ndarray]: ``fn(frame)`` per input, the same object wherever
        the input memory repeats (then read-only).
    """
    done, order = {}, []
    for frame in frames:
        key = memory_key(frame)
        if key in done:
            done[key].flags.writeable = False
        else:
            done[key] = fn(frame)
        order.append(key)
    return [done[key] for key in order]


def writable_frames(frames: Sequence[np.ndarray]) -> List[np.ndarray]:
    """Copy the frames an in-place write must not touch.

    A frame is copied if it is read-only (possibly shared, see
    :func:`share_frames`) or its memory appeared earlier in ``frames``;
    every other frame is returned as is. The result can be written in place
    without changing any other frame.
    """
    seen, out = set(), []
    for frame in frames:
        key = memory_key(frame)
        if key in seen or not frame.flags.writeable:
            frame = frame.copy()
        else:
            seen.add(key)
        out.append(frame)
    return out


def needs_private_frames(transforms: Sequence[Callable]) -> bool:
    """Whether a per-clip pipeline needs its own copies of shared frames.

    False only if a non-lazy ``Resize`` (which returns new arrays) comes
    before any transform other than MMAction2's non-lazy crops (which return
    views and write nothing): then no clip can write into memory another
    clip reads, and the copies are skipped. Otherwise the wrapper copies
    repeated and read-only frames first (:func:`writable_frames`), so its
    outputs own their memory as before frames were shared.
    """
    for t in transforms:
        if getattr(t, 'lazy', False):
            return True
        if isinstance(t, Resize):
            return False
        if type(t) not in _VIEW_TRANSFORMS:
            return True
    return True


@TRANSFORMS.register_module(name='Resize')
@TRANSFORMS.register_module()
class SharedFrameResize(Resize):
    """MMAction2 ``Resize`` that resizes each distinct frame once.

    Same arguments, keys and pixels as :class:`mmaction.datasets.transforms.
    Resize`; registered in mmssl's registry as ``Resize`` (and
    ``SharedFrameResize``) so every mmssl config uses it. Frames that repeat
    (same memory) are resized once and the result is repeated by reference
    (read-only, see :func:`map_unique`). ``dict(type='mmaction.Resize')``
    selects the original.
    """

    def _resize_imgs(self, imgs, new_w, new_h):
        if isinstance(imgs, np.ndarray):  # a stacked clip: nothing repeats
            return super()._resize_imgs(imgs, new_w, new_h)
        return map_unique(
            lambda img: super(SharedFrameResize, self)._resize_imgs(
                [img], new_w, new_h)[0], imgs)


@TRANSFORMS.register_module(name='Flip')
@TRANSFORMS.register_module()
class SharedFrameFlip(Flip):
    """MMAction2 ``Flip`` that copies shared frames before flipping in place.

    MMAction2's ``Flip`` flips each frame in place; a frame shared with
    another clip (read-only, or repeated in ``imgs``) is copied first
    (:func:`writable_frames`), the others are flipped in place as before.
    Same arguments, keys and pixels; registered as ``Flip`` (and
    ``SharedFrameFlip``) in mmssl's registry.
    """

    def _flip_imgs(self, imgs, modality):
        if isinstance(imgs, np.ndarray):
            if not imgs.flags.writeable:
                imgs = imgs.copy()
            return super()._flip_imgs(imgs, modality)
        return super()._flip_imgs(writable_frames(imgs), modality)
