"""The RGB-rankable SynthMotion variant ('rgb'): appearance pairs (one
appearance per index, shared by every class), constant visible motion,
determinism, and its registration / up-to-date checks."""
import json
import os.path as osp

import numpy as np
import pytest

from mmssl.datasets.synthmotion import (SYNTHMOTION_CLASSES,
                                        ensure_synthmotion_rgb,
                                        get_synthmotion_variant,
                                        is_synthmotion_up_to_date,
                                        render_rgb_video)
from mmssl.datasets.synthmotion.layout import video_rng
from mmssl.datasets.synthmotion.rgb_motion import (RGB_SPEED_RANGE,
                                                   rgb_object_motion)

TINY = dict(num_train_per_class=2, num_val_per_class=1, num_frames=16,
            size=(32, 32))


def _motion(name, seed=0, num_frames=24, size=64, half_size=8.0):
    label = SYNTHMOTION_CLASSES.index(name)
    return rgb_object_motion(label, np.random.default_rng(seed), num_frames,
                             size, size, half_size)


@pytest.mark.parametrize('name,axis,sign', [('move_right', 0, 1),
                                            ('move_left', 0, -1),
                                            ('move_up', 1, -1),
                                            ('move_down', 1, 1)])
def test_translation_has_constant_visible_speed_and_wraps(name, axis, sign):
    centres, sizes = _motion(name, num_frames=48)
    step = np.diff(centres[:, axis])
    period = 64 + 2 * 1.2 * 8.0
    wraps = np.abs(step) > period / 2  # leaves one side, enters the other
    speed = sign * step[~wraps]
    assert np.allclose(speed, speed[0])
    assert RGB_SPEED_RANGE[0] <= speed[0] <= RGB_SPEED_RANGE[1]
    assert np.allclose(step[wraps], speed[0] * sign - sign * period)
    assert np.all(np.diff(centres[:, 1 - axis]) == 0)
    assert np.all(sizes == 8.0)


def test_orbits_turn_the_named_way_and_zooms_grow_or_shrink():
    for name, turn in (('orbit_clockwise', 1), ('orbit_anticlockwise', -1)):
        centres, _ = _motion(name)
        rel = centres - centres.mean(0)
        cross = rel[:-1, 0] * rel[1:, 1] - rel[:-1, 1] * rel[1:, 0]
        # y points down: a positive cross product is clockwise on screen
        assert np.all(np.sign(cross) == turn)
    for name, grow in (('zoom_in', 1), ('zoom_out', -1)):
        _, sizes = _motion(name, num_frames=48)
        change = np.sign(np.diff(sizes))
        # monotonic within each period, one jump back per period (12-16)
        assert (change == grow).sum() >= 48 - 1 - 4
        assert (change == -grow).sum() <= 4


def test_appearance_pairs_first_frame_shared_across_mirror_classes():
    """The seed of video ``index`` does not depend on the label, and the
    appearance is drawn first: mirror classes start on the same frame and
    then move apart."""
    def video(name):
        return render_rgb_video(SYNTHMOTION_CLASSES.index(name),
                                video_rng(0, 'train', 0, 3), 8, 32, 32)

    for a, b in (('move_right', 'move_left'), ('move_up', 'move_down'),
                 ('orbit_clockwise', 'orbit_anticlockwise')):
        va, vb = video(a), video(b)
        assert np.array_equal(va[0], vb[0])
        assert not np.array_equal(va[-1], vb[-1])


def test_generation_is_deterministic_and_registered(tmp_path):
    assert get_synthmotion_variant('rgb') is ensure_synthmotion_rgb
    one, two = str(tmp_path / 'a'), str(tmp_path / 'b')
    paths = ensure_synthmotion_rgb(one, **TINY)
    ensure_synthmotion_rgb(two, **TINY)
    for key in ('train_list', 'val_list', 'classes'):
        assert open(paths[key]).read() == open(
            osp.join(two, osp.basename(paths[key]))).read()
    lines = open(paths['train_list']).read().splitlines()
    assert len(lines) == 16 and lines[0].endswith(' 0')
    meta = json.load(open(paths['meta']))
    assert meta['variant'] == 'rgb' and meta['params']['motion'] == \
        'constant'
    video = osp.join(one, lines[0].split(' ')[0])
    mtime = osp.getmtime(video)
    ensure_synthmotion_rgb(one, **TINY)  # up to date: nothing rewritten
    assert osp.getmtime(video) == mtime
    with pytest.raises(ValueError, match='constant-speed'):
        ensure_synthmotion_rgb(one, motion='accelerating', **TINY)


def test_default_and_rgb_variants_do_not_pass_for_each_other(tmp_path):
    """With identical parameters, a directory holding the 'rgb' variant is
    not an up-to-date default SynthMotion (and vice versa)."""
    root = str(tmp_path / 'sm')
    params = dict(TINY, motion='constant', seed=0)
    ensure_synthmotion_rgb(root, **params)
    assert not is_synthmotion_up_to_date(root, **params)
    get_synthmotion_variant('default')(root, **params)
    assert is_synthmotion_up_to_date(root, **params)
    assert 'variant' not in json.load(open(osp.join(root, 'meta.json')))
