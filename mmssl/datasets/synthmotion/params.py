"""SynthMotion classes, generator version and generation parameters."""
from typing import Tuple

__all__ = [
    'SYNTHMOTION_CLASSES', 'SYNTHMOTION_VERSION', 'DEFAULT_PARAMS',
    'MOTION_TIMINGS', 'normalise_params'
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
#: ``motion.ACCELERATION_RANGE``: an arrow of time for order tasks) or
#: ``'constant'`` (g = 1: the speed of a video is constant, so a clip's
#: pixel speed is set by its sampling rate alone, as speed tasks assume).
MOTION_TIMINGS = ('accelerating', 'constant')


def normalise_params(**params) -> dict:
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
