"""Optional extra video reads for cross-video Same Speed Localization tuples.

STCLR (Altabrawee & Mohd Noor, Neurocomputing, Sec. 3.3 and 4.2.4) draws the
``K`` SpeedLoc clips from ``K`` *other* videos with probability ``C1``, which
makes an epoch read ``N + (1 - C1) N + K C1 N`` videos (Table 6: 3.0x TCLR's
epoch time at ``C1 = 0.6``). mmssl's default builds those tuples from clips already
decoded in the batch (``compose_speed_tuples`` in the algorithm) and reads
nothing extra. This transform restores the paper's behaviour as an explicit,
measurable option: add it after the decode step and set the algorithm's
in-batch ``cross_video_prob`` to 0.
"""
import os.path as osp
from typing import Dict, List, Optional, Tuple, Union

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine.fileio import list_from_file

from mmssl.registry import TRANSFORMS
from .decode_backends import check_access, open_video
from .same_speed_sampling import speed_tuple_label
from .sampling import largest_fitting_rate, place_clips


@TRANSFORMS.register_module()
class ReadCrossVideoSpeedLocClips(BaseTransform):
    """With probability ``C1``, re-read the SpeedLoc clips from other videos.

    The last ``K = len(speedloc_speeds)`` clips of the sample (the SpeedLoc
    tuple of :class:`SpeedLocTupleSampleClips` / :class:`STCLRSampleClips`)
    are replaced by clips of ``K`` distinct other videos of ``ann_file``
    (uniformly drawn), clip ``k`` read at the same skip rate
    ``speedloc_speeds[k]`` from a random start. Frames of a video with another size are resized (bilinear) to
    this sample's frame size.

    Short videos: a clip never wraps. When another video is too short for
    a clip's speed, that clip is read at the largest speed that fits, and
    ``speedloc_speeds``, ``speedloc_label`` (recomputed with
    :func:`speed_tuple_label`) and the tuple's ``clip_rates`` record the
    speeds really read. When one of the drawn videos has fewer than
    ``clip_len`` frames the sample keeps its own tuple.

    Required Keys: ``imgs`` (decoded, before augmentation), ``clip_len``,
    ``num_clips``, ``speedloc_speeds``, ``filename``.

    Modified Keys: ``imgs``, ``speedloc_speeds``, ``speedloc_label``,
    ``clip_rates`` (when a speed had to drop).

    Added Keys: ``speedloc_cross_video`` (int, 1 if replaced),
    ``num_extra_reads``
    (int, videos opened by this transform).

    Args:
        ann_file (str): The training list (``'<path> <label>'`` lines).
        data_prefix (str | dict): Video root (``dict(video=root)`` as in the
            dataset config).
        prob (float): ``C1``. Defaults to 0.6 (STCLR Sec. 4.2.1).
        num_threads (int): Decoder threads. Defaults to 1.
        backend (str): Video backend of the extra reads (``'decord'``,
            ``'pyav'`` or ``'torchcodec'``), as :class:`SafeDecordInit`.
            Defaults to ``'decord'``.
        access (str): Access pattern, as :class:`DecordDecodeUnion`.
            Defaults to ``'sequential'`` (frame-accurate, see
            docs/performance.md).
    """

    def __init__(self,
                 ann_file: str,
                 data_prefix: Union[str, Dict[str, str]] = '',
                 prob: float = 0.6,
                 num_threads: int = 1,
                 backend: str = 'decord',
                 access: str = 'sequential') -> None:
        check_access(backend, access)
        if not 0.0 <= prob <= 1.0:
            raise ValueError(f'prob (C1) must be in [0, 1], got {prob}')
        self.ann_file = ann_file
        self.data_prefix = (data_prefix.get('video', '') if isinstance(
            data_prefix, dict) else data_prefix)
        self.prob = float(prob)
        self.num_threads = num_threads
        self.backend = backend
        self.access = access
        self._videos: Optional[List[str]] = None

    @property
    def videos(self) -> List[str]:
        """Paths of the listed videos (read lazily, once per worker)."""
        if self._videos is None:
            lines = [ln.split()[0] for ln in list_from_file(self.ann_file)
                     if ln.strip()]
            self._videos = [osp.join(self.data_prefix, p) for p in lines]
        return self._videos

    def _read_clip(self, path: str, speed: int, clip_len: int,
                   size) -> Optional[Tuple[List[np.ndarray], int]]:
        """Frames of a clip of ``path`` at ``speed`` (lowered to the largest
        speed that fits) and the speed read; None if the video has fewer
        than ``clip_len`` frames."""
        with open_video(path, self.backend,
                        num_threads=self.num_threads) as source:
            speed = min(speed,
                        largest_fitting_rate(clip_len, source.num_frames))
            if speed < 1:
                return None
            inds = place_clips([speed], clip_len, source.num_frames)[0]
            frames = source.read(inds, access=self.access)
        if frames.shape[1:3] != tuple(size):
            frames = np.stack([
                cv2.resize(f, (size[1], size[0]),
                           interpolation=cv2.INTER_LINEAR) for f in frames
            ])
        return list(frames), speed

    def transform(self, results: Dict) -> Dict:
        """Replace the SpeedLoc clips with clips of other videos (prob. C1)."""
        speeds = np.asarray(results['speedloc_speeds']).reshape(-1)
        num_speedloc, clip_len = speeds.size, int(results['clip_len'])
        results['speedloc_cross_video'] = 0
        results['num_extra_reads'] = 0
        if np.random.rand() >= self.prob:
            return results
        others = [v for v in self.videos if v != results['filename']]
        if len(others) < num_speedloc:
            raise ValueError(f'{self.ann_file} lists {len(others)} other '
                             f'videos; a cross-video SpeedLoc tuple needs '
                             f'{num_speedloc}')
        picked = np.random.choice(len(others), num_speedloc, replace=False)
        imgs = list(results['imgs'])
        if len(imgs) != int(results['num_clips']) * clip_len:
            raise ValueError('ReadCrossVideoSpeedLocClips must run right '
                             'after the decode step (imgs holds '
                             f'{len(imgs)} frames, expected num_clips * '
                             f'clip_len = {results["num_clips"]} * '
                             f'{clip_len})')
        size = np.shape(imgs[0])[:2]
        first = len(imgs) - num_speedloc * clip_len
        read = []
        for v, speed in zip(picked, speeds):
            clip = self._read_clip(others[v], int(speed), clip_len, size)
            results['num_extra_reads'] += 1
            if clip is None:  # too short for any speed: keep own tuple
                return results
            read.append(clip)
        for k, (frames, _) in enumerate(read):
            start = first + k * clip_len
            imgs[start:start + clip_len] = frames
        new_speeds = np.array([s for _, s in read], dtype=np.int64)
        results['imgs'] = imgs
        results['speedloc_cross_video'] = 1
        if not np.array_equal(new_speeds, speeds):
            results['speedloc_speeds'] = new_speeds
            results['speedloc_label'] = int(speed_tuple_label(new_speeds))
            if 'clip_rates' in results:
                rates = np.array(results['clip_rates'], dtype=np.int64)
                rates[-num_speedloc:] = new_speeds
                results['clip_rates'] = rates
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(ann_file={self.ann_file!r}, '
                f'prob={self.prob}, backend={self.backend!r}, '
                f'access={self.access!r})')
