"""Rendering of one SynthMotion video (appearance, motion, rasterisation)."""
import numpy as np

from .appearance import (BG_DRIFT_RANGE, HALF_SIZE_RANGE,
                         MIN_COLOUR_DISTANCE, SHAPES, Texture, shape_distance)
from .motion import object_motion
from .params import MOTION_TIMINGS, SYNTHMOTION_CLASSES

__all__ = ['render_video']


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
    bg_tex = Texture(rng, s, contrast=rng.uniform(0.3, 1.0))
    # Redraw the object's texture until its mean colour stands out from the
    # background's (a label-independent rejection step).
    for _ in range(20):
        obj_tex = Texture(rng, s, contrast=rng.uniform(0.6, 1.0))
        if np.linalg.norm(obj_tex.mean_colour -
                          bg_tex.mean_colour) >= MIN_COLOUR_DISTANCE:
            break
    shape = SHAPES[rng.integers(len(SHAPES))]
    aspect = rng.uniform(0.55, 0.9)
    orient = rng.uniform(0, 2 * np.pi)
    half_size = rng.uniform(*HALF_SIZE_RANGE) * s
    drift_len = rng.uniform(*BG_DRIFT_RANGE) * s
    drift_ang = rng.uniform(0, 2 * np.pi)
    bg_drift = drift_len * np.array([np.cos(drift_ang), np.sin(drift_ang)])

    # ---- motion (depends on the label) ----
    centres, sizes = object_motion(label, rng, num_frames, height, width,
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
    dist = shape_distance(shape, u, v, f32(aspect)) * size  # pixels
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
