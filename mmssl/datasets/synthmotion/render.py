"""Rendering of one SynthMotion video (appearance, motion, rasterisation)."""
from typing import Dict, Tuple

import numpy as np

from .appearance import (BG_DRIFT_RANGE, HALF_SIZE_RANGE,
                         MIN_COLOUR_DISTANCE, SHAPES, Texture, shape_distance)
from .motion import object_motion
from .params import MOTION_TIMINGS, SYNTHMOTION_CLASSES

__all__ = ['render_video', 'draw_appearance', 'rasterise_video']


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
    look = draw_appearance(rng, s)

    # ---- motion (depends on the label) ----
    centres, sizes = object_motion(label, rng, num_frames, height, width,
                                   look['half_size'], motion)

    frames = rasterise_video(
        centres=centres, sizes=sizes, height=height, width=width, **look)
    if not return_meta:
        return frames
    meta = dict(
        centres=centres,
        sizes=sizes,
        bg_drift=look['bg_drift'],
        shape=look['shape'],
        texture=look['obj_tex'].kind,
        background=look['bg_tex'].kind)
    return frames, meta


def draw_appearance(rng: np.random.Generator,
                    s: float,
                    bg_contrast_scale: float = 1.0,
                    bg_drift_range: Tuple[float, float] = BG_DRIFT_RANGE
                    ) -> Dict[str, object]:
    """Draw the label-independent appearance of one video.

    Args:
        rng (np.random.Generator): Source of randomness (drawn first, so one
            state gives the same appearance for every class).
        s (float): Frame size S = min(H, W) in pixels.
        bg_contrast_scale (float): Factor on the background texture's
            contrast (drawn in (0.3, 1.0)). Defaults to 1.
        bg_drift_range (tuple[float, float]): Total background drift over
            the video, as fractions of S. Defaults to ``BG_DRIFT_RANGE``.

    Returns:
        dict: ``bg_tex``, ``obj_tex``, ``shape``, ``aspect``, ``orient``,
        ``half_size`` (pixels) and ``bg_drift`` ((2, ) pixels), the keyword
        arguments of :func:`rasterise_video` besides the motion.
    """
    bg_tex = Texture(rng, s,
                     contrast=bg_contrast_scale * rng.uniform(0.3, 1.0))
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
    drift_len = rng.uniform(*bg_drift_range) * s
    drift_ang = rng.uniform(0, 2 * np.pi)
    bg_drift = drift_len * np.array([np.cos(drift_ang), np.sin(drift_ang)])
    return dict(bg_tex=bg_tex, obj_tex=obj_tex, shape=shape, aspect=aspect,
                orient=orient, half_size=half_size, bg_drift=bg_drift)


def rasterise_video(bg_tex: Texture, obj_tex: Texture, shape: str,
                    aspect: float, orient: float, half_size: float,
                    bg_drift: np.ndarray, centres: np.ndarray,
                    sizes: np.ndarray, height: int,
                    width: int) -> np.ndarray:
    """Draw the textured object over the drifting textured background.

    Vectorised over all frames and pixels (float32), with anti-aliased
    object edges and sub-pixel motion; the object's texture is attached to
    it (moves and scales with it).

    Args:
        bg_tex (Texture): Background texture.
        obj_tex (Texture): Object texture.
        shape (str): One of ``SHAPES``.
        aspect (float): Shape aspect ratio.
        orient (float): Object orientation (radians).
        half_size (float): Reference half-size (pixels) of the texture.
        bg_drift (np.ndarray): Total background displacement (x, y) over
            the video, shape (2, ).
        centres (np.ndarray): Object centres (x, y), shape (T, 2).
        sizes (np.ndarray): Object half-sizes in pixels, shape (T, ).
        height (int): H.
        width (int): W.

    Returns:
        np.ndarray: RGB frames, shape (T, H, W, 3), dtype uint8.
    """
    f32 = np.float32
    tau = (np.linspace(0.0, 1.0, len(centres))
           if len(centres) > 1 else np.zeros(1)).astype(f32)[:, None, None]
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
    return np.clip(np.rint(frames * 255), 0, 255).astype(np.uint8)
