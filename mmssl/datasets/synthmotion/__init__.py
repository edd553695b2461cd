"""SynthMotion: an embedded, deterministic synthetic motion dataset.

SynthMotion is a small labelled video dataset that mmssl generates on the fly,
so that every method, config and test can run end to end without downloading a
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
    >>> from mmssl.datasets.synthmotion import ensure_synthmotion
    >>> paths = ensure_synthmotion('data/synthmotion')  # generates once
    >>> paths['train_list']
    'data/synthmotion/train_list.txt'

Modules (one concept each): :mod:`.params` (classes, version, parameters),
:mod:`.appearance` (textures, shapes), :mod:`.motion` (class trajectories),
:mod:`.render` (one video as frames), :mod:`.video_writer` (frames to a
file), :mod:`.layout` (paths, seeds, ``meta.json``, lock, lists) and
:mod:`.generate` (a whole dataset directory). ``mmssl.datasets.synthetic``
re-exports the public names for older imports.
"""

from .generate import (ensure_synthmotion, generate_synthmotion,
                       is_synthmotion_up_to_date)
from .layout import read_synthmotion_list, synthmotion_paths
from .params import (DEFAULT_PARAMS, MOTION_TIMINGS, SYNTHMOTION_CLASSES,
                     SYNTHMOTION_VERSION)
from .render import render_video
from .variants import (SYNTHMOTION_VARIANTS, get_synthmotion_variant,
                       register_synthmotion_variant)
from .video_writer import VIDEO_EXT, VIDEO_FOURCC, write_video

__all__ = [
    'SYNTHMOTION_CLASSES', 'SYNTHMOTION_VERSION', 'MOTION_TIMINGS',
    'DEFAULT_PARAMS', 'VIDEO_EXT', 'VIDEO_FOURCC', 'render_video',
    'write_video', 'generate_synthmotion', 'ensure_synthmotion',
    'is_synthmotion_up_to_date', 'synthmotion_paths', 'read_synthmotion_list',
    'SYNTHMOTION_VARIANTS', 'get_synthmotion_variant',
    'register_synthmotion_variant'
]
# articulated stick figures with exact COCO-17 poses (variant 'articulated')
from .articulated import (ARTICULATED_DEFAULT_PARAMS,  # noqa: E402
                          ensure_articulated, generate_articulated,
                          is_articulated_up_to_date)
from .articulated_motion import ARTICULATED_CLASSES  # noqa: E402

__all__ += [
    'ARTICULATED_CLASSES', 'ARTICULATED_DEFAULT_PARAMS',
    'generate_articulated', 'ensure_articulated', 'is_articulated_up_to_date'
]
# appearance pairs + visible motion: RGB models can be ranked (variant 'rgb')
from .rgb_variant import (RGB_DEFAULT_PARAMS,  # noqa: E402
                          ensure_synthmotion_rgb, generate_synthmotion_rgb,
                          render_rgb_video)

__all__ += [
    'RGB_DEFAULT_PARAMS', 'ensure_synthmotion_rgb', 'generate_synthmotion_rgb',
    'render_rgb_video'
]
