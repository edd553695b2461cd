"""CSVR's I-frames: choose a clip's key frames, decode them with the clips,
augment them like the clips (paper Sec. III-C, IV-B)."""
import itertools
import os
from collections import Counter
from typing import Callable, Dict, List, Optional, Union

import numpy as np
from mmcv.transforms import BaseTransform
from mmengine.logging import MMLogger

from mmssl.registry import TRANSFORMS
from ..errors import describe_source
from .augment import PerClipTransform
from .iframe_keys import KEY_SOURCES, choose_iframes, video_key_frames

#: I-frame outcomes counted in this process ('inside', 'outside',
#: 'fallback'); the per-sample flag ``iframe_is_fallback`` travels with
#: the batch for counting in the training process.
IFRAME_COUNTS: Counter = Counter()
_fallback_seq = itertools.count(1)


@TRANSFORMS.register_module()
class SampleIFrames(BaseTransform):
    """Choose K key frames (I-frames) of the current clip's span and append
    them to ``frame_inds``, so that the clips' decode reads them too.

    Put it after the clip sampler and before the decode transform
    (``DecordDecodeUnion``: one frame-accurate decode of clips and
    I-frames), then :class:`SplitIFrames` right after the decode. The span
    is that of the first clip (the current clip): ``frame_inds[0]`` to
    ``frame_inds[clip_len - 1]``. Key frames come from the container
    (:func:`~.iframe_keys.video_key_frames`, cached per process) and the
    K slots are filled by :func:`~.iframe_keys.choose_iframes`: real key
    frames of the span, else the nearest key frame outside it, else the
    clip's middle frame (``iframe_is_fallback = 1``, logged once per video
    and process with a running count, counted in :data:`IFRAME_COUNTS`).

    Required Keys: ``filename``, ``frame_inds``, ``clip_len``,
    ``num_clips`` (+ ``video_reader``, reused when it is a PyAV source).

    Modified Keys: ``frame_inds`` (K indices appended).

    Added Keys: ``iframe_inds`` (K,) int64, ``iframe_valid`` (K,)
    float32, ``iframe_is_fallback`` (int 0/1), ``iframe_outside_span``
    (int 0/1), ``num_iframes`` (K).

    Args:
        num_iframes (int): K. Defaults to 4.
        key_source (str): ``'auto'`` (default), ``'pyav'`` or ``'decord'``.
        outside_span (bool): Allow the nearest key frame outside the span.
            Defaults to True.
        max_outside_distance (int, optional): In frames; None = any.
        test_mode (bool): Evenly spaced instead of random when the span
            holds more than K key frames.
    """

    def __init__(self,
                 num_iframes: int = 4,
                 key_source: str = 'auto',
                 outside_span: bool = True,
                 max_outside_distance: Optional[int] = None,
                 test_mode: bool = False) -> None:
        if num_iframes < 1:
            raise ValueError(f'num_iframes must be >= 1, got {num_iframes}')
        if key_source not in KEY_SOURCES:
            raise ValueError(f'key_source must be one of {KEY_SOURCES}, got '
                             f'{key_source!r}')
        self.num_iframes = int(num_iframes)
        self.key_source = key_source
        self.outside_span = outside_span
        self.max_outside_distance = max_outside_distance
        self.test_mode = test_mode

    def _keys(self, results: Dict) -> np.ndarray:
        try:
            return video_key_frames(results['filename'], self.key_source,
                                    results.get('video_reader'))
        except ImportError:
            raise
        except Exception as err:  # noqa: BLE001 - reported as a fallback
            MMLogger.get_current_instance().warning(
                f'no key-frame table for {describe_source(results)}: {err}')
            return np.zeros(0, dtype=np.int64)

    def transform(self, results: Dict) -> Dict:
        frame_inds = np.asarray(results['frame_inds'], np.int64).reshape(-1)
        clip = frame_inds[:int(results['clip_len'])]
        inds, valid, kind = choose_iframes(
            self._keys(results), (int(clip.min()), int(clip.max())),
            self.num_iframes, int(clip[clip.size // 2]), self.test_mode,
            self.outside_span, self.max_outside_distance)
        IFRAME_COUNTS[kind] += 1
        if kind == 'fallback':
            self._log_fallback(results)
        results['frame_inds'] = np.concatenate([frame_inds, inds])
        results['iframe_inds'] = inds
        results['iframe_valid'] = valid
        results['iframe_is_fallback'] = int(kind == 'fallback')
        results['iframe_outside_span'] = int(kind == 'outside')
        results['num_iframes'] = self.num_iframes
        return results

    @staticmethod
    def _log_fallback(results: Dict) -> None:
        MMLogger.get_current_instance().warning(
            f'no key frame usable for the clip of {describe_source(results)}'
            '; using its middle frame as the I-frame (CSVR fallback '
            f'{next(_fallback_seq)} in process {os.getpid()})')

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(num_iframes={self.num_iframes}, '
                f'key_source={self.key_source!r}, '
                f'outside_span={self.outside_span}, '
                f'max_outside_distance={self.max_outside_distance}, '
                f'test_mode={self.test_mode})')


@TRANSFORMS.register_module()
class SplitIFrames(BaseTransform):
    """Take the decoded I-frames off the clips and augment them.

    After the decode, the last ``num_iframes`` frames of ``imgs`` are the
    I-frames appended by :class:`SampleIFrames`; they are removed from
    ``imgs`` / ``frame_inds`` (so the clip transforms see exactly
    ``num_clips * clip_len`` frames) and run through ``transforms``, the
    same augmentation family as the clips (paper IV-B: random crop, flip,
    Gaussian blur, colour jitter on clips and I-frames), one independent
    draw per I-frame (``independent=True``) or one draw shared by the K
    I-frames. The pipeline must end with a fixed-size resize.

    Required Keys: ``imgs``, ``frame_inds``, ``num_iframes``.

    Modified Keys: ``imgs``, ``frame_inds``.

    Added Keys: ``iframes`` (K, C, H, W) uint8 (or the dtype the
    transforms produce), ``iframe_params`` (what each draw recorded).

    Args:
        transforms (list[dict | callable]): Augmentation of one I-frame
            (MMAction2 / mmssl transforms, as in the clip pipeline).
            ``[]``: none (the frames keep the decoded size).
        independent (bool): One draw per I-frame. Defaults to True.
    """

    def __init__(self,
                 transforms: List[Union[dict, Callable]] = (),
                 independent: bool = True) -> None:
        self.independent = independent
        self.wrapped = PerClipTransform(
            list(transforms), clips_per_group=1 if independent else None,
            num_groups=None if independent else 1) if transforms else None

    def transform(self, results: Dict) -> Optional[Dict]:
        k = int(results['num_iframes'])
        imgs = results['imgs']
        if len(imgs) <= k:
            raise ValueError(f'SplitIFrames: {len(imgs)} decoded frames for '
                             f'{k} I-frames; is SampleIFrames missing?')
        frames = list(imgs[-k:])
        results['imgs'] = imgs[:-k]
        results['frame_inds'] = np.asarray(results['frame_inds'])[:-k]
        params = [{} for _ in range(k)]
        if self.wrapped is not None:
            sub = dict((key, v) for key, v in results.items()
                       if key in ('img_shape', 'original_shape', 'modality',
                                  'video_size', 'filename'))
            sub.update(imgs=frames, num_clips=k, clip_len=1)
            sub.setdefault('modality', 'RGB')
            out = self.wrapped(sub)
            if out is None:
                return None
            frames, params = list(out['imgs']), out['clip_params']
        results['iframes'] = np.ascontiguousarray(
            np.stack(frames).transpose(0, 3, 1, 2))
        results['iframe_params'] = params
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(independent={self.independent}, '
                f'transforms={self.wrapped})')
