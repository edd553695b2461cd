"""The RGB-rankable SynthMotion variant (``'rgb'``, ``data/synthmotion_rgb``).

On default SynthMotion a supervised tiny R3D on RGB clips memorises each
training video's appearance and stays at chance on val
(docs/datasets/synthmotion.md). This variant keeps the classes, layout,
file format and determinism of SynthMotion and changes three things, each
chosen from measurements (docs/datasets/synthmotion_rgb.md):

1. **Appearance pairs**: video ``index`` of every class is rendered from
   the generator seeded with ``(seed, split, 0, index)``, i.e. independent
   of the label. Appearance is drawn first, so the eight classes share the
   same ``num_*_per_class`` appearances (object, textures, colours,
   background, drift); only the motion differs. Memorising a video's
   appearance cannot fit the labels, so training has to use motion.
2. **Motion every clip can see**: constant speed, 2.5-4 px per frame at
   64 px (:mod:`.rgb_motion`), instead of one accelerating sweep per video.
3. **A quieter background**: its texture contrast is 0.3x SynthMotion's
   (0.09-0.3 instead of 0.3-1.0) and it drifts at most 5 % of the frame
   (instead of 10 %); the object keeps SynthMotion's textures.

Defaults: 48 training and 16 validation videos per class (384 + 128), 48
frames (VCOP's 5-clip layout needs 48) of 64x64.

Example:
    >>> from mmssl.datasets.synthmotion import ensure_synthmotion_rgb
    >>> paths = ensure_synthmotion_rgb('data/synthmotion_rgb')
"""
from typing import Callable, Dict, Optional

import numpy as np

from .generate import _generate_unlocked, _is_up_to_date
from .layout import dir_lock, synthmotion_paths, video_rng
from .params import normalise_params
from .render import draw_appearance, rasterise_video
from .rgb_motion import rgb_object_motion
from .variants import register_synthmotion_variant

__all__ = [
    'RGB_VARIANT', 'RGB_VERSION', 'RGB_DEFAULT_PARAMS', 'render_rgb_video',
    'generate_synthmotion_rgb', 'ensure_synthmotion_rgb'
]

RGB_VARIANT = 'rgb'
#: Bumped whenever this variant's rendering changes.
RGB_VERSION = 1
RGB_DEFAULT_PARAMS = dict(
    num_train_per_class=48,
    num_val_per_class=16,
    seed=0,
    num_frames=48,
    height=64,
    width=64,
    fps=25.0,
    motion='constant')
BG_CONTRAST_SCALE = 0.3
BG_DRIFT_MAX = 0.05  # fraction of S over the video


def render_rgb_video(label: int, rng: np.random.Generator,
                     num_frames: int = 48, height: int = 64,
                     width: int = 64) -> np.ndarray:
    """Render one video of the variant.

    Appearance is drawn first and independently of ``label`` (as in
    :func:`~.render.render_video`), so one generator state gives the same
    appearance for every class.

    Args:
        label (int): Class index into ``SYNTHMOTION_CLASSES``.
        rng (np.random.Generator): Source of randomness.
        num_frames (int): T. Defaults to 48.
        height (int): H. Defaults to 64.
        width (int): W. Defaults to 64.

    Returns:
        np.ndarray: RGB frames, shape (T, H, W, 3), dtype uint8.
    """
    look = draw_appearance(rng, float(min(height, width)),
                           bg_contrast_scale=BG_CONTRAST_SCALE,
                           bg_drift_range=(0.0, BG_DRIFT_MAX))
    centres, sizes = rgb_object_motion(label, rng, num_frames, height, width,
                                       look['half_size'])
    return rasterise_video(
        centres=centres, sizes=sizes, height=height, width=width, **look)


def _render(params: dict, split: str, label: int, index: int) -> np.ndarray:
    # label-independent seed: the same appearance for every class
    return render_rgb_video(label, video_rng(params['seed'], split, 0, index),
                            params['num_frames'], params['height'],
                            params['width'])


def _params(**params) -> dict:
    out = normalise_params(**dict(RGB_DEFAULT_PARAMS, **{
        k: v for k, v in params.items() if v is not None}))
    if out['motion'] != 'constant':
        raise ValueError("the 'rgb' SynthMotion variant has constant-speed "
                         f"motion only, got motion={out['motion']!r}")
    return out


def generate_synthmotion_rgb(
        out_dir: str,
        progress: Optional[Callable[[str], None]] = None,
        **params) -> Dict[str, str]:
    """(Re)generate the variant in ``out_dir`` unconditionally.

    Args:
        out_dir (str): Dataset root (``data_prefix``).
        progress (Callable[[str], None], optional): Called with each
            written video's relative path.
        **params: As :func:`~.generate.generate_synthmotion`, with the
            defaults of :data:`RGB_DEFAULT_PARAMS`.

    Returns:
        dict[str, str]: Paths, see :func:`synthmotion_paths`.
    """
    params = _params(**params)
    with dir_lock(out_dir):
        return _generate_unlocked(out_dir, params, progress, _render,
                                  RGB_VARIANT, RGB_VERSION)


@register_synthmotion_variant(RGB_VARIANT)
def ensure_synthmotion_rgb(
        out_dir: str,
        progress: Optional[Callable[[str], None]] = None,
        **params) -> Dict[str, str]:
    """Generate the variant in ``out_dir`` unless an up-to-date copy is
    there (safe from several processes). Parameters as
    :func:`generate_synthmotion_rgb`."""
    params = _params(**params)
    with dir_lock(out_dir):
        if _is_up_to_date(out_dir, params, RGB_VARIANT, RGB_VERSION):
            return synthmotion_paths(out_dir)
        return _generate_unlocked(out_dir, params, progress, _render,
                                  RGB_VARIANT, RGB_VERSION)
