"""Video opening and decode-once decoding with clear errors."""
from typing import Dict, Optional

import numpy as np
from mmcv.transforms import BaseTransform

from mmssl.registry import TRANSFORMS
from ..errors import VideoReadError, describe_source
from ..skip_log import report_skip

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
    """Open a video with decord, naming the file (and list line) on failure.

    Like MMAction2's ``DecordInit`` (reads local paths directly, no in-memory
    copy), plus error handling: an unreadable file raises
    :class:`VideoReadError` naming the file and its annotation line, or,
    with ``on_error='skip'``, logs a warning and returns ``None`` so that
    MMEngine's dataset draws another sample (``max_refetch``).

    Required Keys:

        - filename

    Added Keys:

        - video_reader, total_frames, avg_fps

    Args:
        num_threads (int): Decoder threads. Defaults to 1.
        on_error (str): ``'raise'`` or ``'skip'``. Defaults to ``'raise'``.
        min_frames (int): Videos with fewer decodable frames are treated as
            unreadable. Defaults to 1.
    """

    def __init__(self,
                 num_threads: int = 1,
                 on_error: str = 'raise',
                 min_frames: int = 1) -> None:
        self.num_threads = num_threads
        self.on_error = _check_mode(on_error)
        self.min_frames = min_frames

    def transform(self, results: Dict) -> Optional[Dict]:
        """Open the video."""
        import decord
        try:
            reader = decord.VideoReader(
                results['filename'], num_threads=self.num_threads)
            total = len(reader)
            if total < self.min_frames:
                raise ValueError(f'{total} frames (< {self.min_frames})')
        except Exception as err:  # decord raises RuntimeError / DECORDError
            _fail(self.on_error,
                  f'cannot open video {describe_source(results)}: {err}', err)
            return None
        results['video_reader'] = reader
        results['total_frames'] = total
        results['avg_fps'] = reader.get_avg_fps()
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(num_threads={self.num_threads}, '
                f'on_error={self.on_error!r})')


@TRANSFORMS.register_module()
class DecordDecodeUnion(BaseTransform):
    """Decode every frame a sample needs in one call, each frame once.

    Multi-clip samplers write the indices of all clips into ``frame_inds``;
    clips may overlap or repeat frames. This transform decodes the sorted
    union of the indices with a single ``get_batch`` call and then gathers
    the frames back into ``frame_inds`` order, so a video is opened and
    decoded once per sample however many clips the method draws.

    Required Keys:

        - video_reader, frame_inds, filename

    Modified Keys:

        - video_reader (released)

    Added Keys:

        - imgs (list of (H, W, 3) uint8 RGB arrays, ``frame_inds`` order)
        - original_shape, img_shape
        - num_decoded_frames (int): size of the decoded union (for tests and
          benchmarks)

    Args:
        on_error (str): ``'raise'`` (:class:`VideoReadError` naming the file
            and indices) or ``'skip'`` (log and return ``None``).
    """

    def __init__(self, on_error: str = 'raise') -> None:
        self.on_error = _check_mode(on_error)

    def transform(self, results: Dict) -> Optional[Dict]:
        """Decode the union of ``frame_inds``."""
        reader = results['video_reader']
        frame_inds = np.asarray(results['frame_inds']).reshape(-1)
        unique, inverse = np.unique(frame_inds, return_inverse=True)
        try:
            frames = reader.get_batch(unique.tolist()).asnumpy()
        except Exception as err:  # DECORDError / IndexError past damage
            _fail(
                self.on_error,
                f'cannot decode frames {unique.min()}..{unique.max()} of '
                f'video {describe_source(results)} (reported '
                f'{results.get("total_frames")} frames): {err}', err)
            return None
        finally:
            results['video_reader'] = None
            del reader
        imgs = frames[inverse]
        results['imgs'] = list(imgs)
        results['original_shape'] = imgs.shape[1:3]
        results['img_shape'] = imgs.shape[1:3]
        results['num_decoded_frames'] = len(unique)
        return results

    def __repr__(self) -> str:
        return f'{self.__class__.__name__}(on_error={self.on_error!r})'
