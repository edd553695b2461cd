"""SynthMotion: an embedded, deterministic synthetic motion dataset.

SynthMotion is a small labelled video dataset that mmssl generates on the fly, so
that every method, config and test can run end to end without downloading a
public action dataset. Each video shows one textured object moving over a
textured, slowly drifting background. **The class is the motion pattern of the
object**; its appearance (shape, orientation, size, texture, colours, position)
and the background (texture, colours, drift) are drawn from the same
distributions for every class, so only motion discriminates the classes.

Classes (``SYNTHMOTION_CLASSES``, label = index; image coordinates, x to the
right, y down):

====  ====================  ===================================================
 id   name                  motion of the object
====  ====================  ===================================================
 0    move_right            constant-velocity translation towards +x
 1    move_left             constant-velocity translation towards -x
 2    move_up               constant-velocity translation towards -y
 3    move_down             constant-velocity translation towards +y
 4    orbit_clockwise       circular orbit, clockwise as seen on screen
 5    orbit_anticlockwise   circular orbit, anticlockwise as seen on screen
 6    zoom_in               growing about a fixed centre (exponential scale)
 7    zoom_out              shrinking about a fixed centre (exponential scale)
====  ====================  ===================================================

Every motion spans the whole video (the extent of the motion is drawn relative
to the frame size and divided over ``num_frames``), and each video has its own
speed jitter. Pairs of classes are time reverses of each other (right/left,
up/down, clockwise/anticlockwise, in/out), so a model that ignores the arrow of
time cannot separate them. Mirror images too: a horizontal flip swaps
right/left and the orbit directions, so supervised stages on SynthMotion
(linear probe, fine-tuning) must not use ``Flip`` or temporal reversal.

The written dataset uses MMAction2's ``VideoDataset`` format::

    <out_dir>/
        classes.txt                         one class name per line
        train_list.txt                      'videos/<class>/<id>.mp4 <label>'
        val_list.txt
        meta.json                           seed, parameters, generator version
        videos/<class_name>/<video_id>.mp4  MPEG-4 Part 2 ('mp4v'), 25 fps

with ``data_prefix=dict(video=out_dir)``. Generation is deterministic: each
video is rendered from its own random generator seeded with
``(seed, split, label, index)``, so the same parameters give byte-identical
annotation lists and identical frames.

Example:
    >>> from mmssl.datasets.synthetic import ensure_synthmotion
    >>> paths = ensure_synthmotion('data/synthmotion')  # generates once
    >>> paths['train_list']
    'data/synthmotion/train_list.txt'
"""
import contextlib
import json
import os
import os.path as osp
import shutil
from typing import Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import numpy as np

__all__ = [
    'SYNTHMOTION_CLASSES', 'SYNTHMOTION_VERSION', 'MOTION_TIMINGS',
    'render_video',
    'write_video', 'generate_synthmotion', 'ensure_synthmotion',
    'is_synthmotion_up_to_date', 'synthmotion_paths', 'read_synthmotion_list'
]

#: Class names; the label of a class is its index in this tuple.
SYNTHMOTION_CLASSES: Tuple[str, ...] = (
    'move_right',
    'move_left',
    'move_up',
    'move_down',
    'orbit_clockwise',
    'orbit_anticlockwise',
    'zoom_in',
    'zoom_out',
)

#: Bumped whenever the rendered content or the file layout changes, so that
#: :func:`ensure_synthmotion` regenerates data made by an older generator.
SYNTHMOTION_VERSION = 2

#: Default generation parameters (see :func:`generate_synthmotion`).
DEFAULT_PARAMS = dict(
    num_train_per_class=16,
    num_val_per_class=8,
    seed=0,
    num_frames=48,
    height=64,
    width=64,
    fps=25,
    motion='accelerating',
)

#: Timing of the motion: ``'accelerating'`` (progress t^g, g drawn in
#: ``_ACCELERATION_RANGE``: an arrow of time for order tasks) or
#: ``'constant'`` (g = 1: the speed of a video is constant, so a clip's
#: pixel speed is set by its sampling rate alone, as speed tasks assume).
MOTION_TIMINGS = ('accelerating', 'constant')

# Video container / codec. MPEG-4 Part 2 in .mp4 is what OpenCV's bundled
# FFmpeg encodes everywhere (no H.264 encoder is available in the pip wheels),
# decord decodes it, and it keeps a 48-frame 64x64 clip at ~10-20 kB.
VIDEO_EXT = '.mp4'
VIDEO_FOURCC = 'mp4v'

_SPLITS = ('train', 'val')
_META_NAME = 'meta.json'
_LOCK_NAME = '.synthmotion.lock'

# Appearance ranges, as fractions of S = min(height, width).
_HALF_SIZE_RANGE = (0.12, 0.20)  # object half-extent at the middle of the video
_WAVELENGTH_RANGE = (0.08, 0.30)  # texture wavelengths
_BG_DRIFT_RANGE = (0.0, 0.10)  # total background drift over the video
_MIN_COLOUR_DISTANCE = 0.3  # object vs background mean colour, RGB in [0, 1]
# Motion ranges.
_TRAVEL_RANGE = (0.55, 0.85)  # translation, fraction of the free span
_ORBIT_RADIUS_RANGE = (0.14, 0.24)  # fraction of S
_ORBIT_TURNS_RANGE = (0.55, 0.95)  # full turns over the video
_ZOOM_RATIO_RANGE = (1.8, 2.6)  # final / initial size (or its inverse)
_ACCELERATION_RANGE = (1.7, 2.5)  # exponent g of the progress curve t^g

_SHAPES = ('circle', 'ellipse', 'square', 'rectangle', 'diamond', 'triangle',
           'cross', 'ring')
_TEXTURES = ('noise', 'checker', 'stripes', 'rings')


# --------------------------------------------------------------------------- #
# Rendering
# --------------------------------------------------------------------------- #
def _random_colour(rng: np.random.Generator) -> np.ndarray:
    """Draw an RGB colour in [0, 1], shape (3, )."""
    return rng.uniform(0.0, 1.0, size=3)


class _Texture:
    """A random procedural texture, evaluated at continuous coordinates.

    The texture is a scalar pattern in [0, 1] (smooth value noise, checker,
    stripes or concentric rings) blended between two random colours, so it can
    be sampled at sub-pixel positions and moves smoothly.

    Args:
        rng (np.random.Generator): Source of randomness.
        scale (float): Frame size S in pixels; wavelengths are drawn in
            ``_WAVELENGTH_RANGE * scale``.
        contrast (float): Contrast of the two colours in (0, 1].
    """

    def __init__(self, rng: np.random.Generator, scale: float,
                 contrast: float = 1.0) -> None:
        self.kind = _TEXTURES[rng.integers(len(_TEXTURES))]
        self.wavelength = rng.uniform(*_WAVELENGTH_RANGE) * scale
        self.angle = rng.uniform(0, np.pi)
        self.phase = rng.uniform(0, 2 * np.pi, size=2)
        # Sharpness: 1 gives a sinusoid, large values a hard-edged pattern.
        self.sharpness = rng.uniform(1.0, 6.0)
        # Value noise: a periodic random grid, one cell per wavelength.
        self.grid = rng.uniform(0.0, 1.0, size=(16, 16))
        # The two colours differ mostly in brightness and little in hue: like
        # natural images (and unlike saturated complementary stripes), the
        # fine detail is then in luma, which 4:2:0 video codecs keep at full
        # resolution.
        base = _random_colour(rng)
        delta = rng.uniform(0.3, 0.7) * rng.choice([-1.0, 1.0])
        chroma = rng.normal(0.0, 0.06, size=3)
        mean = np.clip(base, 0.5 * abs(delta), 1 - 0.5 * abs(delta))
        c0 = mean - 0.5 * (delta + chroma)
        c1 = mean + 0.5 * (delta + chroma)
        self.colours = (mean + contrast * (c0 - mean),
                        mean + contrast * (c1 - mean))
        self.mean_colour = mean

    def pattern(self, p: np.ndarray, q: np.ndarray) -> np.ndarray:
        """Evaluate the scalar pattern.

        Args:
            p (np.ndarray): x coordinates in pixels, any shape.
            q (np.ndarray): y coordinates in pixels, same shape as ``p``.

        Returns:
            np.ndarray: Pattern values in [0, 1], same shape as ``p``.
        """
        # Python floats keep the dtype of the coordinates (NEP 50).
        k = 2 * np.pi / self.wavelength
        ca, sa = float(np.cos(self.angle)) * k, float(np.sin(self.angle)) * k
        ph0, ph1 = float(self.phase[0]), float(self.phase[1])
        a = ca * p + sa * q + ph0
        b = ca * q - sa * p + ph1
        if self.kind == 'noise':
            return self._value_noise(a / (2 * np.pi), b / (2 * np.pi))
        if self.kind == 'checker':
            raw = np.sin(a) * np.sin(b) * 2
        elif self.kind == 'stripes':
            raw = np.sin(a)
        else:  # rings around the texture origin
            raw = np.sin(np.sqrt(a**2 + b**2) + ph0)
        sharp = float(self.sharpness)
        return 0.5 + (0.5 / float(np.tanh(sharp))) * np.tanh(sharp * raw)

    def _value_noise(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Bilinear (smoothstep-weighted) periodic value noise."""
        n = self.grid.shape[0]
        u0 = np.floor(u)
        v0 = np.floor(v)
        fu = u - u0
        fv = v - v0
        fu = fu * fu * (3 - 2 * fu)
        fv = fv * fv * (3 - 2 * fv)
        i0 = u0.astype(np.int64) % n
        j0 = v0.astype(np.int64) % n
        i1 = (i0 + 1) % n
        j1 = (j0 + 1) % n
        g = self.grid.astype(u.dtype)
        top = g[j0, i0] * (1 - fu) + g[j0, i1] * fu
        bottom = g[j1, i0] * (1 - fu) + g[j1, i1] * fu
        return top * (1 - fv) + bottom * fv

    def colour(self, p: np.ndarray, q: np.ndarray) -> np.ndarray:
        """Evaluate the coloured texture.

        Args:
            p (np.ndarray): x coordinates in pixels, shape (...).
            q (np.ndarray): y coordinates in pixels, shape (...).

        Returns:
            np.ndarray: RGB values in [0, 1], shape (..., 3).
        """
        t = self.pattern(p, q)[..., None]
        c0, c1 = (c.astype(t.dtype) for c in self.colours)
        return c0 + (c1 - c0) * t


def _shape_distance(shape: str, u: np.ndarray, v: np.ndarray,
                    aspect: float) -> np.ndarray:
    """Signed distance-like function of a unit shape (< 0 inside).

    Args:
        shape (str): One of ``_SHAPES``.
        u (np.ndarray): Object-frame x coordinates (unit = half-size).
        v (np.ndarray): Object-frame y coordinates, same shape as ``u``.
        aspect (float): Aspect ratio for ellipse / rectangle / cross.

    Returns:
        np.ndarray: Distance in half-size units, same shape as ``u``.
    """
    au, av = np.abs(u), np.abs(v)
    if shape == 'circle':
        return np.sqrt(u**2 + v**2) - 1
    if shape == 'ellipse':
        return np.sqrt((u / aspect)**2 + v**2) - 1
    if shape == 'square':
        return np.maximum(au, av) - 0.85
    if shape == 'rectangle':
        return np.maximum(au / aspect, av) - 0.85
    if shape == 'diamond':
        return (au + av - 1.15) * float(np.sqrt(0.5))
    if shape == 'triangle':  # equilateral, circumradius 1.1
        d = -v - 0.55
        for ang in (np.pi / 6, 5 * np.pi / 6):
            d = np.maximum(
                d, float(np.cos(ang)) * u + float(np.sin(ang)) * v - 0.55)
        return d
    if shape == 'cross':
        w = 0.35 * aspect
        bar1 = np.maximum(au - 0.95, av - w)
        bar2 = np.maximum(au - w, av - 0.95)
        return np.minimum(bar1, bar2)
    # ring
    return np.abs(np.sqrt(u**2 + v**2) - 0.7) - 0.3


def _object_motion(label: int, rng: np.random.Generator, num_frames: int,
                   height: int, width: int, half_size: float,
                   motion: str = 'accelerating'
                   ) -> Tuple[np.ndarray, np.ndarray]:
    """Draw the object's trajectory for a class.

    Args:
        label (int): Class index into ``SYNTHMOTION_CLASSES``.
        rng (np.random.Generator): Source of randomness.
        num_frames (int): T.
        height (int): H.
        width (int): W.
        half_size (float): Object half-extent (pixels) at mid-video.
        motion (str): One of :data:`MOTION_TIMINGS`.

    Returns:
        tuple[np.ndarray, np.ndarray]: Centres (x, y) in pixels, shape
        (T, 2), and half-sizes in pixels, shape (T, ).
    """
    name = SYNTHMOTION_CLASSES[label]
    s = min(height, width)
    # Motion progress in [0, 1]. By default every class accelerates
    # (progress = t^g, g drawn per video): motion is slow early and fast
    # late, so videos have
    # an arrow of time that temporal pretext tasks (clip order, playback
    # speed) can pick up; with constant velocity, clips of a translating
    # object would differ only by position, which pooled features discard.
    linear = np.linspace(0.0, 1.0, num_frames) if num_frames > 1 \
        else np.zeros(1)
    # the exponent is drawn in both timings, so that a video's other random
    # draws (and hence its appearance and path) do not depend on the timing
    exponent = rng.uniform(*_ACCELERATION_RANGE)
    tau = linear**(exponent if motion == 'accelerating' else 1.0)
    sizes = np.full(num_frames, half_size)
    # The bounding radius of every shape is <= 1.2 half-sizes.
    margin = 1.2 * half_size

    if name.startswith('move_'):
        horizontal = name in ('move_right', 'move_left')
        sign = 1.0 if name in ('move_right', 'move_down') else -1.0
        along, across = (width, height) if horizontal else (height, width)
        free = max(along - 2 * margin, 1.0)
        travel = rng.uniform(*_TRAVEL_RANGE) * free
        mid = rng.uniform(margin + travel / 2, along - margin - travel / 2)
        pos_along = mid + sign * travel * (tau - 0.5)
        pos_across = np.full(
            num_frames, rng.uniform(margin, max(across - margin, margin)))
        if horizontal:
            centres = np.stack([pos_along, pos_across], axis=1)
        else:
            centres = np.stack([pos_across, pos_along], axis=1)
    elif name.startswith('orbit_'):
        # With y pointing down, increasing angle is clockwise on screen.
        sign = 1.0 if name == 'orbit_clockwise' else -1.0
        radius = rng.uniform(*_ORBIT_RADIUS_RANGE) * s
        radius = min(radius, max(s / 2 - margin - 1, 1.0))
        turns = rng.uniform(*_ORBIT_TURNS_RANGE)
        theta0 = rng.uniform(0, 2 * np.pi)
        extent = radius + margin
        cx = rng.uniform(min(extent, width / 2), max(width - extent,
                                                     width / 2))
        cy = rng.uniform(min(extent, height / 2), max(height - extent,
                                                      height / 2))
        theta = theta0 + sign * 2 * np.pi * turns * tau
        centres = np.stack(
            [cx + radius * np.cos(theta), cy + radius * np.sin(theta)],
            axis=1)
    else:  # zoom_in / zoom_out: geometric mean size = half_size
        ratio = rng.uniform(*_ZOOM_RATIO_RANGE)
        if name == 'zoom_out':
            ratio = 1.0 / ratio
        # centred exponent: the geometric mean size stays half_size
        sizes = half_size * ratio**(tau - tau.mean())
        extent = 1.2 * sizes.max()
        cx = rng.uniform(min(extent, width / 2), max(width - extent,
                                                     width / 2))
        cy = rng.uniform(min(extent, height / 2), max(height - extent,
                                                      height / 2))
        centres = np.tile(np.array([[cx, cy]]), (num_frames, 1))
    return centres, sizes


def render_video(label: int,
                 rng: np.random.Generator,
                 num_frames: int = 48,
                 height: int = 64,
                 width: int = 64,
                 return_meta: bool = False,
                 motion: str = 'accelerating'):
    """Render one SynthMotion video.

    Appearance is drawn first and independently of ``label`` (same
    distributions for all classes); the motion pattern is then drawn for the
    class. Rendering is vectorised over all frames and pixels, with
    anti-aliased object edges and sub-pixel motion.

    Args:
        label (int): Class index into :data:`SYNTHMOTION_CLASSES`.
        rng (np.random.Generator): Source of randomness; the output is a
            deterministic function of its state and the other arguments.
        num_frames (int): Number of frames T. Defaults to 48.
        height (int): Frame height H in pixels. Defaults to 64.
        width (int): Frame width W in pixels. Defaults to 64.
        return_meta (bool): Also return the ground-truth motion. Defaults to
            False.
        motion (str): Motion timing, one of :data:`MOTION_TIMINGS`:
            ``'accelerating'`` (default) or ``'constant'`` (same video, same
            path, uniform speed).

    Returns:
        np.ndarray | tuple[np.ndarray, dict]: RGB frames, shape (T, H, W, 3),
        dtype uint8. With ``return_meta``, also a dict with ``centres``
        (T, 2) float (x, y) object centres in pixels, ``sizes`` (T, ) object
        half-sizes in pixels, ``bg_drift`` (2, ) total background displacement
        (x, y) in pixels over the video, and ``shape`` / ``texture`` names.
    """
    if not 0 <= label < len(SYNTHMOTION_CLASSES):
        raise ValueError(f'label must be in [0, {len(SYNTHMOTION_CLASSES)}), '
                         f'got {label}')
    if motion not in MOTION_TIMINGS:
        raise ValueError(f'motion must be one of {MOTION_TIMINGS}, got '
                         f'{motion!r}')
    if num_frames < 1 or height < 8 or width < 8:
        raise ValueError('need num_frames >= 1 and height, width >= 8, got '
                         f'{num_frames}, {height}, {width}')
    s = float(min(height, width))

    # ---- appearance (independent of the label) ----
    bg_tex = _Texture(rng, s, contrast=rng.uniform(0.3, 1.0))
    # Redraw the object's texture until its mean colour stands out from the
    # background's (a label-independent rejection step).
    for _ in range(20):
        obj_tex = _Texture(rng, s, contrast=rng.uniform(0.6, 1.0))
        if np.linalg.norm(obj_tex.mean_colour -
                          bg_tex.mean_colour) >= _MIN_COLOUR_DISTANCE:
            break
    shape = _SHAPES[rng.integers(len(_SHAPES))]
    aspect = rng.uniform(0.55, 0.9)
    orient = rng.uniform(0, 2 * np.pi)
    half_size = rng.uniform(*_HALF_SIZE_RANGE) * s
    drift_len = rng.uniform(*_BG_DRIFT_RANGE) * s
    drift_ang = rng.uniform(0, 2 * np.pi)
    bg_drift = drift_len * np.array([np.cos(drift_ang), np.sin(drift_ang)])

    # ---- motion (depends on the label) ----
    centres, sizes = _object_motion(label, rng, num_frames, height, width,
                                    half_size, motion)

    # ---- rasterise: arrays of shape (T, H, W), float32 for speed ----
    f32 = np.float32
    tau = (np.linspace(0.0, 1.0, num_frames)
           if num_frames > 1 else np.zeros(1)).astype(f32)[:, None, None]
    ys, xs = np.meshgrid(
        np.arange(height, dtype=f32), np.arange(width, dtype=f32),
        indexing='ij')
    xs, ys = xs[None], ys[None]
    frames = bg_tex.colour(xs - f32(bg_drift[0]) * tau,
                           ys - f32(bg_drift[1]) * tau)

    dx = xs - centres[:, 0, None, None].astype(f32)
    dy = ys - centres[:, 1, None, None].astype(f32)
    co, so = f32(np.cos(orient)), f32(np.sin(orient))
    size = sizes[:, None, None].astype(f32)
    u = (co * dx + so * dy) / size
    v = (-so * dx + co * dy) / size
    dist = _shape_distance(shape, u, v, f32(aspect)) * size  # pixels
    alpha = np.clip(f32(0.5) - dist, 0.0, 1.0)
    # Texture the object only where it covers a pixel; its texture is
    # attached to it (moves and scales with it).
    inside = alpha > 0
    a = alpha[inside][:, None]
    fg = obj_tex.colour(u[inside] * f32(half_size), v[inside] * f32(half_size))
    frames[inside] = frames[inside] * (1 - a) + fg * a
    frames = np.clip(np.rint(frames * 255), 0, 255).astype(np.uint8)
    if not return_meta:
        return frames
    meta = dict(
        centres=centres,
        sizes=sizes,
        bg_drift=bg_drift,
        shape=shape,
        texture=obj_tex.kind,
        background=bg_tex.kind)
    return frames, meta


# --------------------------------------------------------------------------- #
# Writing
# --------------------------------------------------------------------------- #
def write_video(path: str, frames: np.ndarray, fps: float = 25) -> None:
    """Write RGB frames as an MPEG-4 Part 2 ('mp4v') video with OpenCV.

    Args:
        path (str): Output file, normally ending in ``.mp4``.
        frames (np.ndarray): RGB frames, shape (T, H, W, 3), dtype uint8.
        fps (float): Frame rate. Defaults to 25.

    Raises:
        RuntimeError: If OpenCV cannot open a writer for the file.
    """
    import cv2

    t, h, w, c = frames.shape
    if c != 3 or frames.dtype != np.uint8:
        raise ValueError('frames must be (T, H, W, 3) uint8, got '
                         f'{frames.shape} {frames.dtype}')
    fourcc = cv2.VideoWriter_fourcc(*VIDEO_FOURCC)
    # OpenCV's FFmpeg writer puts a key frame every 12 frames.
    writer = cv2.VideoWriter(path, cv2.CAP_FFMPEG, fourcc, float(fps), (w, h))
    if not writer.isOpened():
        raise RuntimeError(f'OpenCV could not open a {VIDEO_FOURCC!r} video '
                           f'writer for {path}')
    try:
        for frame in frames:
            writer.write(np.ascontiguousarray(frame[..., ::-1]))  # RGB->BGR
    finally:
        writer.release()


def synthmotion_paths(out_dir: str) -> Dict[str, str]:
    """Paths of a SynthMotion dataset directory (whether or not it exists).

    Args:
        out_dir (str): Dataset root, used as ``data_prefix``.

    Returns:
        dict[str, str]: ``root``, ``video_dir``, ``train_list``, ``val_list``,
        ``classes`` and ``meta``.
    """
    return dict(
        root=out_dir,
        video_dir=osp.join(out_dir, 'videos'),
        train_list=osp.join(out_dir, 'train_list.txt'),
        val_list=osp.join(out_dir, 'val_list.txt'),
        classes=osp.join(out_dir, 'classes.txt'),
        meta=osp.join(out_dir, _META_NAME))


def _video_rng(seed: int, split: str, label: int,
               index: int) -> np.random.Generator:
    """Independent generator per video (order- and count-independent)."""
    return np.random.default_rng(
        np.random.SeedSequence([seed, _SPLITS.index(split), label, index]))


def _normalise_params(**params) -> dict:
    """Fill in defaults and validate the generation parameters.

    ``size=(H, W)``, if given and not None, overrides ``height``/``width``.
    """
    size = params.pop('size', None)
    if size is not None:
        if len(size) != 2:
            raise ValueError(f'size must be (height, width), got {size}')
        params['height'], params['width'] = size
    unknown = set(params) - set(DEFAULT_PARAMS)
    if unknown:
        raise TypeError(f'unknown SynthMotion parameters: {sorted(unknown)}')
    out = dict(DEFAULT_PARAMS)
    out.update({k: v for k, v in params.items() if v is not None})
    for key in ('num_train_per_class', 'num_val_per_class', 'seed',
                'num_frames', 'height', 'width'):
        out[key] = int(out[key])
    out['fps'] = float(out['fps'])
    if out['motion'] not in MOTION_TIMINGS:
        raise ValueError(f'motion must be one of {MOTION_TIMINGS}, got '
                         f'{out["motion"]!r}')
    if out['num_train_per_class'] < 0 or out['num_val_per_class'] < 0:
        raise ValueError('numbers of videos per class must be >= 0')
    return out


def _read_meta(out_dir: str) -> Optional[dict]:
    path = osp.join(out_dir, _META_NAME)
    try:
        with open(path) as f:
            meta = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get('dataset') != 'synthmotion':
        return None
    return meta


def _write_json(path: str, obj: dict) -> None:
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        json.dump(obj, f, indent=2, sort_keys=True)
        f.write('\n')
    os.replace(tmp, path)


@contextlib.contextmanager
def _dir_lock(out_dir: str) -> Iterator[None]:
    """Exclusive inter-process lock on ``out_dir`` (no-op without fcntl)."""
    os.makedirs(out_dir, exist_ok=True)
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(osp.join(out_dir, _LOCK_NAME), 'w') as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _generate_unlocked(out_dir: str, params: dict,
                       progress: Optional[Callable[[str], None]]
                       ) -> Dict[str, str]:
    paths = synthmotion_paths(out_dir)
    old_meta = _read_meta(out_dir)
    if old_meta is None and osp.exists(paths['video_dir']):
        raise FileExistsError(
            f'{paths["video_dir"]} exists but {out_dir} holds no SynthMotion '
            'meta.json; refusing to overwrite it. Choose another out_dir.')
    # Mark the directory as an unfinished SynthMotion dataset first, so an
    # interrupted run is recognised (and regenerated) later.
    meta = dict(
        dataset='synthmotion',
        generator_version=SYNTHMOTION_VERSION,
        params=params,
        classes=list(SYNTHMOTION_CLASSES),
        video_ext=VIDEO_EXT,
        fourcc=VIDEO_FOURCC,
        complete=False)
    _write_json(paths['meta'], meta)
    if osp.isdir(paths['video_dir']):
        shutil.rmtree(paths['video_dir'])

    with open(paths['classes'], 'w') as f:
        f.write(''.join(name + '\n' for name in SYNTHMOTION_CLASSES))
    counts = dict(
        train=params['num_train_per_class'], val=params['num_val_per_class'])
    for split in _SPLITS:
        lines: List[str] = []
        for label, name in enumerate(SYNTHMOTION_CLASSES):
            class_dir = osp.join(paths['video_dir'], name)
            os.makedirs(class_dir, exist_ok=True)
            for index in range(counts[split]):
                rel = f'videos/{name}/{split}_{name}_{index:04d}{VIDEO_EXT}'
                frames = render_video(
                    label, _video_rng(params['seed'], split, label, index),
                    params['num_frames'], params['height'], params['width'],
                    motion=params['motion'])
                write_video(osp.join(out_dir, rel), frames, params['fps'])
                lines.append(f'{rel} {label}\n')
                if progress is not None:
                    progress(rel)
        with open(paths[f'{split}_list'], 'w') as f:
            f.write(''.join(lines))

    meta.update(
        complete=True,
        num_videos=dict(
            train=counts['train'] * len(SYNTHMOTION_CLASSES),
            val=counts['val'] * len(SYNTHMOTION_CLASSES)))
    _write_json(paths['meta'], meta)
    return paths


def _is_up_to_date(out_dir: str, params: dict) -> bool:
    meta = _read_meta(out_dir)
    if (meta is None or not meta.get('complete')
            or meta.get('generator_version') != SYNTHMOTION_VERSION
            # datasets written before the ``motion`` option accelerate
            or dict(DEFAULT_PARAMS, **(meta.get('params') or {})) != params
            or meta.get('classes') != list(SYNTHMOTION_CLASSES)):
        return False
    paths = synthmotion_paths(out_dir)
    if not osp.isfile(paths['classes']):
        return False
    for split in _SPLITS:
        try:
            with open(paths[f'{split}_list']) as f:
                lines = f.read().splitlines()
        except OSError:
            return False
        if len(lines) != meta['num_videos'][split]:
            return False
        for line in lines:
            if not osp.isfile(osp.join(out_dir, line.rsplit(' ', 1)[0])):
                return False
    return True


def generate_synthmotion(out_dir: str,
                         num_train_per_class: int = 16,
                         num_val_per_class: int = 8,
                         seed: int = 0,
                         num_frames: int = 48,
                         height: int = 64,
                         width: int = 64,
                         fps: float = 25,
                         size: Optional[Sequence[int]] = None,
                         motion: str = 'accelerating',
                         progress: Optional[Callable[[str], None]] = None
                         ) -> Dict[str, str]:
    """(Re)generate the SynthMotion dataset in ``out_dir``, unconditionally.

    Existing SynthMotion outputs in ``out_dir`` (``videos/``, lists,
    ``classes.txt``, ``meta.json``) are replaced; other files are left alone.
    A ``videos/`` folder not made by this generator is never deleted.

    Args:
        out_dir (str): Dataset root (``data_prefix``); created if missing.
        num_train_per_class (int): Training videos per class. Defaults to 16.
        num_val_per_class (int): Validation videos per class. Defaults to 8.
        seed (int): Global seed. Defaults to 0.
        num_frames (int): Frames per video T. Defaults to 48.
        height (int): Frame height H. Defaults to 64.
        width (int): Frame width W. Defaults to 64.
        fps (float): Frame rate written to the files. Defaults to 25.
        size (Sequence[int], optional): ``(H, W)``; overrides ``height`` and
            ``width`` when given. Defaults to None.
        motion (str): Motion timing, ``'accelerating'`` (default) or
            ``'constant'``; see :data:`MOTION_TIMINGS`.
        progress (Callable[[str], None], optional): Called with the relative
            path of each video after it is written (e.g. to advance a
            progress bar). Defaults to None.

    Returns:
        dict[str, str]: Paths, see :func:`synthmotion_paths`.

    Raises:
        FileExistsError: If ``out_dir/videos`` exists but ``out_dir`` is not a
            SynthMotion dataset.
    """
    params = _normalise_params(
        num_train_per_class=num_train_per_class,
        num_val_per_class=num_val_per_class,
        seed=seed,
        num_frames=num_frames,
        height=height,
        width=width,
        fps=fps,
        size=size,
        motion=motion)
    with _dir_lock(out_dir):
        return _generate_unlocked(out_dir, params, progress)


def ensure_synthmotion(out_dir: str,
                       progress: Optional[Callable[[str], None]] = None,
                       **params) -> Dict[str, str]:
    """Generate SynthMotion in ``out_dir`` unless it is already there.

    The dataset is (re)generated only if ``meta.json`` is missing, marks an
    interrupted run, was written by another generator version or with other
    parameters, or if a listed file is missing. Safe to call concurrently from
    several processes on one machine (they serialise on a lock file).

    Args:
        out_dir (str): Dataset root (``data_prefix``).
        progress (Callable[[str], None], optional): See
            :func:`generate_synthmotion`.
        **params: Any of :func:`generate_synthmotion`'s parameters
            (``num_train_per_class``, ``num_val_per_class``, ``seed``,
            ``num_frames``, ``height``, ``width``, ``fps``, ``size``,
            ``motion``); missing
            ones take the defaults.

    Returns:
        dict[str, str]: Paths, see :func:`synthmotion_paths`.
    """
    params = _normalise_params(**params)
    with _dir_lock(out_dir):
        if _is_up_to_date(out_dir, params):
            return synthmotion_paths(out_dir)
        return _generate_unlocked(out_dir, params, progress)


def is_synthmotion_up_to_date(out_dir: str, **params) -> bool:
    """Whether ``out_dir`` holds a complete SynthMotion dataset for ``params``.

    Args:
        out_dir (str): Dataset root.
        **params: As for :func:`ensure_synthmotion` (defaults filled in).

    Returns:
        bool: True if :func:`ensure_synthmotion` would not regenerate.
    """
    return _is_up_to_date(out_dir, _normalise_params(**params))


def read_synthmotion_list(ann_file: str) -> List[Tuple[str, int]]:
    """Parse a SynthMotion annotation list.

    Args:
        ann_file (str): ``train_list.txt`` or ``val_list.txt``.

    Returns:
        list[tuple[str, int]]: (relative video path, label) per line.
    """
    out = []
    with open(ann_file) as f:
        for line in f:
            rel, label = line.rstrip('\n').rsplit(' ', 1)
            out.append((rel, int(label)))
    return out

