"""Test-time noise corruptions of video frames (ImageNet-C's noise family).

The benchmark study (Kumar et al., "A Large-Scale Analysis on Contextual
Self-Supervised Video Representation Learning", Sec. 4.4, supp. C.2 / D.5)
tests fine-tuned models on UCF101 test videos corrupted by Gaussian, shot,
impulse and speckle noise at five severities, the definitions of Hendrycks
& Dietterich, "Benchmarking Neural Network Robustness to Common Corruptions
and Perturbations" (ICLR 2019; ImageNet-C, ``imagenet_c/corruptions.py``).
With pixel values ``x`` scaled to [0, 1] and severity ``s = 1..5``:

==========  ===========================================  ======================
noise       definition (then clip to [0, 1], x 255)      constants c[s - 1]
==========  ===========================================  ======================
gaussian    ``x + N(0, c^2)``                            .08 .12 .18 .26 .38
shot        ``Poisson(c x) / c``                         60 25 12 5 3
impulse     salt and pepper: a fraction ``c`` of the     .03 .06 .09 .17 .27
            values set to 0 or 1 (each half the time)
speckle     ``x + x N(0, c^2)``                          .15 .20 .35 .45 .60
==========  ===========================================  ======================

(ImageNet-C's 224x224 constants; its CIFAR / Tiny-ImageNet variants use
others.) Impulse noise follows ``skimage.util.random_noise(mode='s&p')``,
which ImageNet-C calls: every value (pixel *and* channel) is replaced
independently. Output: rounded to the nearest integer and clipped to uint8
(ImageNet-C truncates with ``np.uint8`` when it saves; rounding keeps the
mean of a constant image).

Video specifics (our choices, docs/analysis/noise_robustness.md):

- Determinism: the noise of a frame depends only on ``(seed, noise,
  severity, video file name, frame index)``, not on the loader, workers,
  epoch or the other clips: re-running the test set gives the same
  corrupted videos, and a frame shared by two clips gets the same noise.
- Consistency across a clip: every frame of every clip gets the same noise
  type and severity; the noise *samples* are independent per frame (sensor
  noise), or one field for all frames with ``shared_across_frames=True``.
- Where: the analysis tool inserts the transform just before
  ``FormatShape``, i.e. at the network's input resolution, as ImageNet-C
  corrupts the 224x224 network input (``--position decoded`` applies it to
  the decoded frames instead).
"""
import hashlib
import os.path as osp
import numpy as np
from mmcv.transforms import BaseTransform

from mmssl.registry import TRANSFORMS

from .color import stack_frames, unstack_frames

__all__ = ['NOISE_SEVERITIES', 'apply_noise', 'ClipNoise']

#: Hendrycks & Dietterich (ICLR 2019), ``imagenet_c/corruptions.py``:
#: ``gaussian_noise``, ``shot_noise``, ``impulse_noise``,
#: ``speckle_noise``; severity s uses entry s - 1.
NOISE_SEVERITIES = {
    'gaussian': (0.08, 0.12, 0.18, 0.26, 0.38),  # std of N(0, c^2)
    'shot': (60, 25, 12, 5, 3),  # Poisson rate scale (photons per unit)
    'impulse': (0.03, 0.06, 0.09, 0.17, 0.27),  # s&p fraction of values
    'speckle': (0.15, 0.20, 0.35, 0.45, 0.60),  # std of multiplicative N
}


def _check(noise: str, severity: int) -> float:
    if noise not in NOISE_SEVERITIES:
        raise ValueError(f'unknown noise {noise!r}; one of '
                         f'{sorted(NOISE_SEVERITIES)}')
    if isinstance(severity, bool) or severity not in range(1, 6):
        raise ValueError(f'severity must be an int in 1..5, got {severity!r}')
    return NOISE_SEVERITIES[noise][severity - 1]


def apply_noise(frame: np.ndarray, noise: str, severity: int,
                rng: np.random.Generator) -> np.ndarray:
    """Corrupt one array of pixel values with one noise at one severity.

    Args:
        frame (np.ndarray): Pixel values in [0, 255], any shape (e.g.
            ``(H, W, 3)`` or ``(T, H, W, 3)``), any real dtype.
        noise (str): ``'gaussian'``, ``'shot'``, ``'impulse'`` or
            ``'speckle'``.
        severity (int): 1..5.
        rng (np.random.Generator): Source of the noise.

    Returns:
        np.ndarray: uint8 array of the same shape.
    """
    c = _check(noise, severity)
    x = np.asarray(frame, dtype=np.float64) / 255.0
    if noise == 'gaussian':
        x = x + rng.normal(scale=c, size=x.shape)
    elif noise == 'shot':
        x = rng.poisson(x * c) / c
    elif noise == 'impulse':
        flipped = rng.random(x.shape) < c
        salted = rng.random(x.shape) < 0.5
        x = x.copy()
        x[flipped & salted] = 1.0
        x[flipped & ~salted] = 0.0
    else:  # speckle
        x = x + x * rng.normal(scale=c, size=x.shape)
    return np.rint(np.clip(x, 0.0, 1.0) * 255.0).astype(np.uint8)


def _video_key(filename: str) -> str:
    return osp.basename(str(filename))


@TRANSFORMS.register_module()
class ClipNoise(BaseTransform):
    """Corrupt every frame of a sample with one noise at one severity.

    Required keys: ``imgs`` (list of ``(H, W, C)`` arrays or a ``(T, H, W,
    C)`` array), ``filename``; optional ``frame_inds`` (``T`` frame
    indices in the video; default ``0..T-1``).
    Modified keys: ``imgs`` (new uint8 arrays; the input, possibly shared
    read-only decoded frames, is not written).

    Args:
        noise (str): ``'gaussian'``, ``'shot'``, ``'impulse'``, ``'speckle'``.
        severity (int): 1..5 (:data:`NOISE_SEVERITIES`).
        seed (int): Seed of the corrupted test set.
        shared_across_frames (bool): True: every frame restarts the same
            random stream (one Gaussian / speckle / impulse field for the
            whole video; shot noise from the same draws); False (default):
            an independent stream per frame index.
    """

    def __init__(self, noise: str, severity: int, seed: int = 0,
                 shared_across_frames: bool = False) -> None:
        _check(noise, severity)
        self.noise = noise
        self.severity = int(severity)
        self.seed = int(seed)
        self.shared_across_frames = bool(shared_across_frames)

    def _rng(self, filename: str, frame_index: int) -> np.random.Generator:
        text = (f'{self.seed}/{self.noise}/{self.severity}/'
                f'{_video_key(filename)}/{frame_index}')
        digest = hashlib.sha256(text.encode('utf-8')).digest()
        return np.random.default_rng(int.from_bytes(digest[:8], 'little'))

    def transform(self, results: dict) -> dict:
        frames, was_array = stack_frames(results['imgs'])
        filename = results.get('filename', '')
        inds = np.asarray(results.get('frame_inds', np.arange(len(frames))))
        inds = inds.reshape(-1)
        if len(inds) != len(frames):
            raise ValueError(
                f'{filename}: {len(frames)} frames but {len(inds)} '
                'frame_inds; place ClipNoise after the decode transform')
        out = np.empty(frames.shape, dtype=np.uint8)
        for i, (frame, index) in enumerate(zip(frames, inds)):
            # shared: every frame restarts the same random stream
            index = -1 if self.shared_across_frames else int(index)
            out[i] = apply_noise(frame, self.noise, self.severity,
                                 self._rng(filename, index))
        results['imgs'] = unstack_frames(out, was_array)
        return results

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(noise={self.noise!r}, '
                f'severity={self.severity}, seed={self.seed}, '
                f'shared_across_frames={self.shared_across_frames})')
