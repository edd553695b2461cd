"""A stand-in for the decode transform that makes frames without decoding.

``tools/analysis_tools/benchmark_dataloader.py --no-decode`` swaps it for
the pipeline's decode step to measure the loader without the decoder: the
video is still opened (the sampler needs ``total_frames``), but the frames
are constant images of the size the decoder would return (resize on decode
included), one per unique index, gathered into ``frame_inds`` order like
:class:`~mmssl.datasets.transforms.loading.DecordDecodeUnion`.
"""
from typing import Dict, Tuple

import numpy as np
from mmcv.transforms import BaseTransform

from ..transforms.decode_backends.base import scaled_size
from ..transforms.shared_frames import share_frames


class SyntheticDecode(BaseTransform):
    """Frames of the decoded shape, without decoding.

    Required Keys: video_reader (a ``VideoSource``), frame_inds,
    video_size (from :class:`ProbeVideoSize` when the reader does not know
    its size before decoding: decord)

    Modified Keys: video_reader (closed, set to None)

    Added Keys: imgs (list of (H, W, 3) uint8), original_shape, img_shape,
    num_decoded_frames, video_size
    """

    def transform(self, results: Dict) -> Dict:
        reader = results['video_reader']
        video_size = tuple(results.get('video_size') or
                           reader.original_size)
        height, width = scaled_size(video_size, reader.short_side)
        reader.close()
        results['video_reader'] = None
        frame_inds = np.asarray(results['frame_inds']).reshape(-1)
        unique, inverse = np.unique(frame_inds, return_inverse=True)
        values = (unique * 7 % 256).astype(np.uint8)  # differ by frame
        frames = np.broadcast_to(values[:, None, None, None],
                                 (len(unique), height, width, 3))
        # shared like the decode step's frames (shared_frames.py)
        results['imgs'] = share_frames(np.ascontiguousarray(frames), inverse)
        results['original_shape'] = (height, width)
        results['img_shape'] = (height, width)
        results['num_decoded_frames'] = len(unique)
        results['video_size'] = video_size
        return results


class ProbeVideoSize(BaseTransform):
    """Add ``video_size`` ((H, W) before any resize on decode) when the
    opened reader does not know it yet (decord learns it from a decoded
    frame): read from the container headers with PyAV, or by decoding frame
    0 without PyAV. Runs before :class:`SyntheticDecode`; its time counts
    in the ``open`` stage (``benchmark_stage``), not in ``decode``."""

    benchmark_stage = 'open'

    def transform(self, results: Dict) -> Dict:
        reader = results['video_reader']
        size = tuple(reader.original_size)
        if not size[0]:
            size = probe_size(reader)
        results['video_size'] = size
        return results


def probe_size(reader) -> Tuple[int, int]:
    """(H, W) of ``reader``'s video (see :class:`ProbeVideoSize`)."""
    try:
        import av
    except ImportError:
        return tuple(reader.reader[0].shape[:2])
    with av.open(reader.path) as container:
        context = container.streams.video[0].codec_context
        return context.height, context.width
