"""Video opening and decode-once decoding with clear errors.

The decoder is chosen with ``backend`` on the open transform (decord, PyAV,
torchcodec; see :mod:`.decode_backends`) and the access pattern with
``access`` on the decode transform. The default, ``'sequential'``, is
frame-accurate on every codec tested (docs/performance.md).
"""
from typing import Dict, Optional

import numpy as np
from mmcv.transforms import BaseTransform

from mmssl.registry import TRANSFORMS
from ..errors import VideoReadError, describe_source
from .decode_backends import (ACCESS_PATTERNS, DecordSource, VideoSource,
                              backend_class, check_access, import_av,
                              import_torchcodec, open_video)
from ..skip_log import report_skip
from .shared_frames import share_frames

ERROR_MODES = ('raise', 'skip')


def _check_mode(on_error: str) -> str:
    if on_error not in ERROR_MODES:
        raise ValueError(f'on_error must be one of {ERROR_MODES}, '
                         f'got {on_error!r}')
    return on_error


def _fail(on_error: str, message: str, cause: Exception) -> None:
    """Raise :class:`VideoReadError`, or report a skip (caller returns None).

    A skip is counted by the dataset and the ``SkipAccountingHook``
    (``mmssl/datasets/skip_log.py``), or logged when no dataset collects it.
    """
    if on_error == 'raise':
        raise VideoReadError(message) from cause
    report_skip(message)


@TRANSFORMS.register_module()
class SafeDecordInit(BaseTransform):
    """Open a video (decord by default), naming the file (and list line) on
    failure. Also registered as ``VideoInit``.

    Like MMAction2's ``DecordInit`` (reads local paths directly, no in-memory
    copy), plus error handling: an unreadable file raises
    :class:`VideoReadError` naming the file and its annotation line, or,
    with ``on_error='skip'``, logs a warning and returns ``None`` so that
    MMEngine's dataset draws another sample (``max_refetch``).

    Required Keys:

        - filename

    Added Keys:

        - video_reader (a :class:`VideoSource`), total_frames, avg_fps

    Args:
        num_threads (int): Decoder threads. Defaults to 1.
        backend (str): ``'decord'`` (default), ``'pyav'`` (needs
            ``pip install av``) or ``'torchcodec'`` (needs a torchcodec build
            matching the installed torch). A missing optional backend raises
            ImportError at construction; a file a backend cannot number
            correctly (decord: MPEG-PS/TS) is refused like an unreadable
            file.
        on_error (str): ``'raise'`` or ``'skip'``. Defaults to ``'raise'``.
        min_frames (int): Videos with fewer decodable frames are treated as
            unreadable. Defaults to 1.
        short_side (int, optional): Resize on decode (decord, pyav): frames
            come out with this short side, aspect kept, bilinear, scaled by
            the decoder (cheaper than decoding full size and resizing).
            Every later transform, random-resized crops included, then acts
            on the reduced frames (crop areas are fractions of the reduced
            frame; the field of view is unchanged). None (default): full
            size.
    """

    def __init__(self,
                 num_threads: int = 1,
                 on_error: str = 'raise',
                 min_frames: int = 1,
                 backend: str = 'decord',
                 short_side: Optional[int] = None) -> None:
        self.num_threads = num_threads
        self.on_error = _check_mode(on_error)
        self.min_frames = min_frames
        self.backend = backend
        self.short_side = short_side
        if short_side is not None and backend == 'torchcodec':
            raise ValueError("short_side (resize on decode) is not "
                             "supported with backend='torchcodec'")
        _probe_backend(backend)  # fail at build time, not in a worker

    def transform(self, results: Dict) -> Optional[Dict]:
        """Open the video."""
        try:
            source = open_video(results['filename'], self.backend,
                                num_threads=self.num_threads,
                                short_side=self.short_side)
            total = source.num_frames
            if total < self.min_frames:
                raise ValueError(f'{total} frames (< {self.min_frames})')
        except ImportError:
            raise
        except Exception as err:  # RuntimeError / DECORDError / av errors
            _fail(self.on_error,
                  f'cannot open video {describe_source(results)}: {err}', err)
            return None
        results['video_reader'] = source
        results['total_frames'] = total
        results['avg_fps'] = source.fps
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(num_threads={self.num_threads}, '
                f'on_error={self.on_error!r}, backend={self.backend!r}, '
                f'short_side={self.short_side})')


def _probe_backend(backend: str) -> None:
    """Raise ValueError / ImportError now if ``backend`` cannot be used."""
    cls = backend_class(backend)
    if cls.backend == 'pyav':
        import_av()
    elif cls.backend == 'torchcodec':
        import_torchcodec()


@TRANSFORMS.register_module()
class DecordDecodeUnion(BaseTransform):
    """Decode every frame a sample needs in one call, each frame once.

    Multi-clip samplers write the indices of all clips into ``frame_inds``;
    clips may overlap or repeat frames. This transform decodes the sorted
    union of the indices with one read of the opened video and then gathers
    the frames back into ``frame_inds`` order, so a video is opened and
    decoded once per sample however many clips the method draws. The
    gather copies nothing: a repeated index repeats the same (read-only)
    array object, which ``Resize`` then resizes once and the per-clip
    wrappers copy only where a clip's own augmentation would write into
    it (:mod:`.shared_frames`). Also
    registered as ``VideoDecodeUnion``; works with every backend of
    :class:`SafeDecordInit`.

    Required Keys:

        - video_reader, frame_inds, filename

    Modified Keys:

        - video_reader (released)

    Added Keys:

        - imgs (list of (H, W, 3) uint8 RGB arrays, ``frame_inds`` order;
          the same read-only object wherever an index repeats)
        - original_shape, img_shape
        - num_decoded_frames (int): size of the decoded union (for tests and
          benchmarks)
        - video_size ((H, W) of the video before any resize on decode)

    Args:
        on_error (str): ``'raise'`` (:class:`VideoReadError` naming the file
            and indices) or ``'skip'`` (log and return ``None``).
        access (str): ``'sequential'`` (default, frame-accurate),
            ``'keyframe'`` (PyAV: seek to the preceding key frame; check a
            dataset with tools/analysis_tools/check_frame_accuracy.py) or
            ``'random'`` (decord ``get_batch`` / torchcodec exact seek;
            decord's returns wrong frames on several codecs). Before the
            option existed, decoding was decord ``'random'``.
    """

    def __init__(self, on_error: str = 'raise',
                 access: str = 'sequential') -> None:
        self.on_error = _check_mode(on_error)
        if access not in ACCESS_PATTERNS:
            raise ValueError(f'access must be one of {ACCESS_PATTERNS}, '
                             f'got {access!r}')
        self.access = access

    def transform(self, results: Dict) -> Optional[Dict]:
        """Decode the union of ``frame_inds``."""
        reader = results['video_reader']
        if not isinstance(reader, VideoSource):  # a bare decord VideoReader
            reader = DecordSource.from_reader(reader, results['filename'])
        check_access(reader.backend, self.access)
        frame_inds = np.asarray(results['frame_inds']).reshape(-1)
        unique, inverse = np.unique(frame_inds, return_inverse=True)
        try:
            frames = reader.read(unique, self.access, stack=False)
        except Exception as err:  # DECORDError / IndexError past damage
            _fail(
                self.on_error,
                f'cannot decode frames {unique.min()}..{unique.max()} of '
                f'video {describe_source(results)} (reported '
                f'{results.get("total_frames")} frames): {err}', err)
            return None
        finally:
            results['video_reader'] = None
            video_size = tuple(reader.original_size)
            reader.close()
            del reader
        results['imgs'] = share_frames(frames, inverse)
        shape = frames[0].shape[:2]
        results['original_shape'] = shape
        results['img_shape'] = shape
        results['num_decoded_frames'] = len(unique)
        results['video_size'] = video_size if video_size[0] else tuple(shape)
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(on_error={self.on_error!r}, '
                f'access={self.access!r})')


TRANSFORMS.register_module(name='VideoInit', module=SafeDecordInit)
TRANSFORMS.register_module(name='VideoDecodeUnion', module=DecordDecodeUnion)
