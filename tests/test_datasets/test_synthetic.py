"""Tests for the SynthMotion generator (mmssl/datasets/synthmotion/)."""
import importlib.util
import json
import os
import os.path as osp
import subprocess
import sys

import cv2
import decord
import numpy as np
import pytest

from mmssl.datasets.synthetic import (SYNTHMOTION_CLASSES,
                                      ensure_synthmotion,
                                      generate_synthmotion,
                                      is_synthmotion_up_to_date,
                                      read_synthmotion_list, render_video)

TINY = dict(
    num_train_per_class=2,
    num_val_per_class=1,
    num_frames=16,
    height=32,
    width=32,
    seed=0)
NUM_CLASSES = len(SYNTHMOTION_CLASSES)


@pytest.fixture(scope='module')
def tiny(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('synthmotion_tiny'))
    paths = generate_synthmotion(root, **TINY)
    return paths


def _read(path):
    with open(path, 'rb') as f:
        return f.read()


def _decode(path):
    vr = decord.VideoReader(path)
    return vr.get_batch(list(range(len(vr)))).asnumpy()


# --------------------------------------------------------------------------- #
# render_video
# --------------------------------------------------------------------------- #
def test_classes_constant():
    assert len(SYNTHMOTION_CLASSES) == 8
    assert len(set(SYNTHMOTION_CLASSES)) == 8
    assert all(' ' not in name for name in SYNTHMOTION_CLASSES)


def test_render_video_shape_and_determinism():
    a = render_video(3, np.random.default_rng(7), 12, 24, 40)
    b = render_video(3, np.random.default_rng(7), 12, 24, 40)
    c = render_video(3, np.random.default_rng(8), 12, 24, 40)
    assert a.shape == (12, 24, 40, 3) and a.dtype == np.uint8
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, c)
    # Not degenerate: content changes over time and has texture.
    assert np.abs(a[0].astype(int) - a[-1].astype(int)).mean() > 1
    assert a[0].std() > 5


def test_render_video_rejects_bad_label():
    with pytest.raises(ValueError):
        render_video(NUM_CLASSES, np.random.default_rng(0))


def test_appearance_is_independent_of_label():
    """The same generator state gives the same appearance for every class."""
    metas = [
        render_video(label, np.random.default_rng(123), 8, 32, 32, True)[1]
        for label in range(NUM_CLASSES)
    ]
    for key in ('shape', 'texture', 'background'):
        assert len({m[key] for m in metas}) == 1
    np.testing.assert_array_equal(metas[0]['bg_drift'], metas[-1]['bg_drift'])
    # Geometric mean object size is the same for every class.
    gm = [np.exp(np.log(m['sizes']).mean()) for m in metas]
    np.testing.assert_allclose(gm, gm[0], rtol=1e-6)


def _turning_angle(centres):
    d = np.diff(centres, axis=0)
    ang = np.arctan2(d[:, 1], d[:, 0])
    return np.angle(np.exp(1j * np.diff(ang))).sum()


@pytest.mark.parametrize('label', range(NUM_CLASSES))
def test_ground_truth_motion_per_class(label):
    """The trajectory of every video follows its class and stays in view."""
    name = SYNTHMOTION_CLASSES[label]
    T, H, W = 24, 48, 64
    for i in range(20):
        frames, meta = render_video(label, np.random.default_rng(i), T, H, W,
                                    True)
        c, s = meta['centres'], meta['sizes']
        assert c.shape == (T, 2) and s.shape == (T, )
        # The object (bounding radius <= 1.2 half-sizes) stays in the frame.
        assert np.all(c[:, 0] - 1.2 * s >= -1e-6)
        assert np.all(c[:, 0] + 1.2 * s <= W + 1e-6)
        assert np.all(c[:, 1] - 1.2 * s >= -1e-6)
        assert np.all(c[:, 1] + 1.2 * s <= H + 1e-6)
        dx, dy = np.diff(c, axis=0).T
        ds = np.diff(s)
        if name.startswith('move_'):
            axis, sign = {
                'move_right': (dx, 1),
                'move_left': (dx, -1),
                'move_down': (dy, 1),
                'move_up': (dy, -1)
            }[name]
            other = dy if axis is dx else dx
            assert np.all(sign * axis > 0)
            np.testing.assert_allclose(other, 0, atol=1e-9)
            assert abs(axis.sum()) > 0.3 * min(H, W) - 2 * 1.2 * s[0]
            np.testing.assert_allclose(ds, 0)
        elif name.startswith('orbit_'):
            # y points down: a positive turning angle is clockwise on screen.
            turn = _turning_angle(c)
            if name == 'orbit_clockwise':
                assert turn > np.pi / 2
            else:
                assert turn < -np.pi / 2
            np.testing.assert_allclose(ds, 0)
        else:
            np.testing.assert_allclose(dx, 0, atol=1e-9)
            np.testing.assert_allclose(dy, 0, atol=1e-9)
            if name == 'zoom_in':
                assert np.all(ds > 0) and s[-1] / s[0] > 1.7
            else:
                assert np.all(ds < 0) and s[0] / s[-1] > 1.7


def _object_flow(frames, step=2):
    """Object motion measured from pixels only.

    Dense optical flow between frames ``t`` and ``t + step`` minus its median
    (the background's drift), averaged over the pixels that move differently
    from the background.

    Returns:
        tuple: mean residual velocity (vx, vy) in px per ``step`` frames, the
        total turning angle of that velocity (rad, > 0 clockwise on screen),
        and the mean radial component (> 0 when the object grows).
    """
    gray = [cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in frames]
    h, w = gray[0].shape
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    vels, radial = [], []
    for t in range(len(gray) - step):
        flow = cv2.calcOpticalFlowFarneback(gray[t], gray[t + step], None,
                                            0.5, 2, 9, 3, 5, 1.1, 0)
        res = flow - np.median(flow.reshape(-1, 2), axis=0)
        mag = np.linalg.norm(res, axis=-1)
        mask = mag > 0.3 * step
        if mask.sum() < 4:
            vels.append((0.0, 0.0))
            continue
        v = res[mask]
        vels.append(v.mean(0))
        px, py = xs[mask], ys[mask]
        rx, ry = px - px.mean(), py - py.mean()
        r = np.sqrt(rx**2 + ry**2) + 1e-3
        radial.append(((v[:, 0] * rx + v[:, 1] * ry) / r).mean())
    vels = np.asarray(vels)
    ang = np.arctan2(vels[:, 1], vels[:, 0])
    ok = np.linalg.norm(vels, axis=1) > 0.2
    dang = np.angle(np.exp(1j * np.diff(ang)))[ok[1:] & ok[:-1]]
    return vels.mean(0), dang.sum(), float(np.mean(radial or [0.0]))


def test_pixels_move_as_the_class_says():
    """Measured on rendered pixels (no ground truth): the classes differ by
    motion in the direction the class name says."""
    stats = {}
    for label, name in enumerate(SYNTHMOTION_CLASSES):
        per_video = [
            _object_flow(
                render_video(label, np.random.default_rng(1000 * label + i),
                             32, 64, 64)) for i in range(4)
        ]
        stats[name] = (np.mean([p[0] for p in per_video], axis=0),
                       np.mean([p[1] for p in per_video]),
                       np.mean([p[2] for p in per_video]))
    (vx, vy), _, _ = stats['move_right']
    assert vx > 0.3 and vx > 2 * abs(vy)
    (vx, vy), _, _ = stats['move_left']
    assert vx < -0.3 and -vx > 2 * abs(vy)
    (vx, vy), _, _ = stats['move_down']
    assert vy > 0.3 and vy > 2 * abs(vx)
    (vx, vy), _, _ = stats['move_up']
    assert vy < -0.3 and -vy > 2 * abs(vx)
    assert stats['orbit_clockwise'][1] > 1.0
    assert stats['orbit_anticlockwise'][1] < -1.0
    assert stats['zoom_in'][2] > 0.05
    assert stats['zoom_out'][2] < -0.05


# --------------------------------------------------------------------------- #
# Written dataset
# --------------------------------------------------------------------------- #
def test_layout_and_list_format(tiny):
    root = tiny['root']
    for key in ('train_list', 'val_list', 'classes', 'meta', 'video_dir'):
        assert osp.exists(tiny[key]), key
    assert tiny['train_list'] == osp.join(root, 'train_list.txt')
    with open(tiny['classes']) as f:
        assert f.read().splitlines() == list(SYNTHMOTION_CLASSES)
    for split, per_class in (('train', 2), ('val', 1)):
        with open(tiny[f'{split}_list']) as f:
            text = f.read()
        assert text.endswith('\n') and '\r' not in text
        lines = text.splitlines()
        assert len(lines) == per_class * NUM_CLASSES
        for line in lines:
            rel, label = line.split(' ')
            label = int(label)
            name = SYNTHMOTION_CLASSES[label]
            assert rel.startswith(f'videos/{name}/') and rel.endswith('.mp4')
            assert osp.isfile(osp.join(root, rel))
        labels = [lab for _, lab in read_synthmotion_list(
            tiny[f'{split}_list'])]
        assert sorted(set(labels)) == list(range(NUM_CLASSES))
    # No video is shared between the splits.
    train = {r for r, _ in read_synthmotion_list(tiny['train_list'])}
    val = {r for r, _ in read_synthmotion_list(tiny['val_list'])}
    assert not train & val
    with open(tiny['meta']) as f:
        meta = json.load(f)
    assert meta['dataset'] == 'synthmotion' and meta['complete']
    assert meta['params']['seed'] == 0 and meta['params']['num_frames'] == 16


def test_loads_with_mmaction_video_dataset(tiny):
    from mmaction.datasets import VideoDataset
    for split, per_class in (('train', 2), ('val', 1)):
        ds = VideoDataset(
            tiny[f'{split}_list'],
            pipeline=[],
            data_prefix=dict(video=tiny['root']))
        assert len(ds) == per_class * NUM_CLASSES
        expected = read_synthmotion_list(tiny[f'{split}_list'])
        for i, (rel, label) in enumerate(expected):
            info = ds.get_data_info(i)
            assert info['label'] == label
            assert info['filename'] == osp.join(tiny['root'], rel)
            assert osp.isfile(info['filename'])


def test_decord_reads_every_video(tiny):
    for split in ('train', 'val'):
        for rel, _ in read_synthmotion_list(tiny[f'{split}_list']):
            vr = decord.VideoReader(osp.join(tiny['root'], rel))
            assert len(vr) == TINY['num_frames']
            frames = vr.get_batch(list(range(len(vr)))).asnumpy()
            assert frames.shape == (TINY['num_frames'], TINY['height'],
                                    TINY['width'], 3)
            assert abs(vr.get_avg_fps() - 25) < 0.5


def test_decoded_frames_match_rendered(tiny):
    """The codec is lossy, but decoded frames stay close to the render."""
    from mmssl.datasets.synthmotion.layout import video_rng
    for label in (0, 5):
        name = SYNTHMOTION_CLASSES[label]
        rendered = render_video(label, video_rng(0, 'train', label, 1),
                                TINY['num_frames'], TINY['height'],
                                TINY['width'])
        decoded = _decode(
            osp.join(tiny['video_dir'], name,
                     f'train_{name}_0001.mp4'))
        mse = np.mean((decoded.astype(float) - rendered.astype(float))**2)
        assert 10 * np.log10(255**2 / mse) > 24  # PSNR in dB


def test_generation_is_deterministic(tiny, tmp_path):
    again = generate_synthmotion(str(tmp_path / 'again'), **TINY)
    for key in ('train_list', 'val_list', 'classes'):
        assert _read(tiny[key]) == _read(again[key])
    for rel, _ in read_synthmotion_list(tiny['train_list'])[::5]:
        np.testing.assert_array_equal(
            _decode(osp.join(tiny['root'], rel)),
            _decode(osp.join(again['root'], rel)))


def test_different_seeds_differ(tiny, tmp_path):
    other = generate_synthmotion(
        str(tmp_path / 'other'), **dict(TINY, seed=1))
    # Same file names and labels, different content.
    assert _read(tiny['train_list']) == _read(other['train_list'])
    rel = read_synthmotion_list(tiny['train_list'])[0][0]
    a = _decode(osp.join(tiny['root'], rel))
    b = _decode(osp.join(other['root'], rel))
    assert a.shape == b.shape and not np.array_equal(a, b)


def test_size_argument(tmp_path):
    paths = generate_synthmotion(
        str(tmp_path),
        num_train_per_class=1,
        num_val_per_class=0,
        num_frames=8,
        size=(24, 40))
    rel = read_synthmotion_list(paths['train_list'])[0][0]
    assert _decode(osp.join(str(tmp_path), rel)).shape == (8, 24, 40, 3)
    with open(paths['val_list']) as f:
        assert f.read() == ''


# --------------------------------------------------------------------------- #
# ensure_synthmotion
# --------------------------------------------------------------------------- #
def _counting():
    written = []
    return written, written.append


def test_ensure_skips_when_unchanged_and_regenerates_on_change(tmp_path):
    root = str(tmp_path / 'sm')
    params = dict(TINY, num_train_per_class=1, num_val_per_class=1)
    written, progress = _counting()
    paths = ensure_synthmotion(root, progress=progress, **params)
    assert len(written) == 2 * NUM_CLASSES
    assert is_synthmotion_up_to_date(root, **params)
    mtime = os.stat(paths['meta']).st_mtime_ns
    first = _read(paths['train_list'])

    written, progress = _counting()
    again = ensure_synthmotion(root, progress=progress, **params)
    assert written == [] and again == paths
    assert os.stat(paths['meta']).st_mtime_ns == mtime

    # Another parameter: regenerated, stale files removed.
    written, progress = _counting()
    changed = dict(params, num_train_per_class=2, seed=5)
    assert not is_synthmotion_up_to_date(root, **params | dict(seed=5))
    ensure_synthmotion(root, progress=progress, **changed)
    assert len(written) == 3 * NUM_CLASSES
    assert not is_synthmotion_up_to_date(root, **params)
    assert is_synthmotion_up_to_date(root, **changed)
    assert _read(paths['train_list']) != first
    n_files = sum(len(f) for _, _, f in os.walk(paths['video_dir']))
    assert n_files == 3 * NUM_CLASSES
    with open(paths['meta']) as f:
        assert json.load(f)['params']['seed'] == 5


def test_ensure_regenerates_missing_or_incomplete(tmp_path):
    root = str(tmp_path)
    params = dict(TINY, num_train_per_class=1, num_val_per_class=0)
    paths = ensure_synthmotion(root, **params)
    rel = read_synthmotion_list(paths['train_list'])[3][0]
    os.remove(osp.join(root, rel))
    assert not is_synthmotion_up_to_date(root, **params)
    ensure_synthmotion(root, **params)
    assert osp.isfile(osp.join(root, rel))

    # An interrupted run (meta.json marked incomplete) is regenerated.
    with open(paths['meta']) as f:
        meta = json.load(f)
    meta['complete'] = False
    with open(paths['meta'], 'w') as f:
        json.dump(meta, f)
    written, progress = _counting()
    ensure_synthmotion(root, progress=progress, **params)
    assert len(written) == NUM_CLASSES


def test_refuses_to_overwrite_foreign_videos_dir(tmp_path):
    precious = tmp_path / 'videos' / 'mine.mp4'
    precious.parent.mkdir()
    precious.write_bytes(b'not synthmotion')
    with pytest.raises(FileExistsError):
        generate_synthmotion(str(tmp_path), **TINY)
    with pytest.raises(FileExistsError):
        ensure_synthmotion(str(tmp_path), **TINY)
    assert precious.read_bytes() == b'not synthmotion'


def test_unknown_parameter_is_rejected(tmp_path):
    with pytest.raises(TypeError):
        ensure_synthmotion(str(tmp_path), num_classes=3)


def _load_cli():
    repo = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
    script = osp.join(repo, 'tools', 'data', 'generate_synthmotion.py')
    spec = importlib.util.spec_from_file_location('generate_synthmotion',
                                                  script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return script, module


def test_cli(tmp_path, capsys):
    script, cli = _load_cli()
    out = str(tmp_path / 'cli')
    args = [
        '--out-dir', out, '--num-train-per-class', '1',
        '--num-val-per-class', '1', '--num-frames', '8', '--size', '24', '32',
        '--seed', '3'
    ]
    # The script runs as a program (imports resolve from a checkout).
    res = subprocess.run([sys.executable, script] + args,
                         capture_output=True,
                         text=True,
                         timeout=120)
    assert res.returncode == 0, res.stderr
    assert 'Wrote 16 videos' in res.stdout
    assert 'train_list' in res.stdout
    assert is_synthmotion_up_to_date(
        out,
        num_train_per_class=1,
        num_val_per_class=1,
        num_frames=8,
        height=24,
        width=32,
        seed=3)
    # Unchanged: skipped. Other parameters without --overwrite: refused.
    assert cli.main(args) == 0
    assert 'already' in capsys.readouterr().out
    assert cli.main(args[:-1] + ['4']) == 1
    assert '--overwrite' in capsys.readouterr().err
    assert cli.main(args[:-1] + ['4', '--overwrite']) == 0
    with open(osp.join(out, 'meta.json')) as f:
        assert json.load(f)['params']['seed'] == 4


# --------------------------------------------------------------------------- #
# motion timing option
# --------------------------------------------------------------------------- #
@pytest.mark.parametrize('label', range(NUM_CLASSES))
def test_constant_motion_is_uniform_and_keeps_the_video(label):
    rng_args = dict(num_frames=24, height=48, width=48, return_meta=True)
    acc, acc_meta = render_video(label, np.random.default_rng(3), **rng_args)
    const, const_meta = render_video(
        label, np.random.default_rng(3), motion='constant', **rng_args)
    # same appearance: shape and texture
    assert acc_meta['shape'] == const_meta['shape']
    assert acc_meta['texture'] == const_meta['texture']
    name = SYNTHMOTION_CLASSES[label]
    if name.startswith('zoom_'):
        ratio = const_meta['sizes'][1:] / const_meta['sizes'][:-1]
        np.testing.assert_allclose(ratio, ratio[0], rtol=1e-6)
        # a fixed centre (its range depends on the largest size, hence on
        # the timing)
        np.testing.assert_allclose(const_meta['centres'],
                                   const_meta['centres'][:1].repeat(24, 0))
        return
    # moves and orbits start at the same place (identical first frames),
    # end at the same place, and move the object by the same distance in
    # every frame (a constant speed along a line or a circle)
    np.testing.assert_array_equal(acc[0], const[0])
    np.testing.assert_allclose(const_meta['centres'][-1],
                               acc_meta['centres'][-1])
    step = np.linalg.norm(np.diff(const_meta['centres'], axis=0), axis=1)
    np.testing.assert_allclose(step, step[0], rtol=1e-5)
    acc_step = np.linalg.norm(np.diff(acc_meta['centres'], axis=0), axis=1)
    assert acc_step[-1] > 2 * acc_step[0]  # the default accelerates


def test_motion_option_validation_and_metadata(tmp_path):
    with pytest.raises(ValueError, match='motion'):
        render_video(0, np.random.default_rng(0), motion='fast')
    with pytest.raises(ValueError, match='motion'):
        generate_synthmotion(str(tmp_path / 'bad'), motion='fast', **TINY)
    root = str(tmp_path / 'const')
    paths = generate_synthmotion(root, motion='constant', **TINY)
    with open(paths['meta']) as f:
        assert json.load(f)['params']['motion'] == 'constant'
    assert is_synthmotion_up_to_date(root, motion='constant', **TINY)
    assert not is_synthmotion_up_to_date(root, **TINY)


def test_dataset_written_before_the_motion_option_is_still_current(tmp_path):
    root = str(tmp_path / 'old')
    paths = generate_synthmotion(root, **TINY)
    with open(paths['meta']) as f:
        meta = json.load(f)
    del meta['params']['motion']  # as written by the earlier generator
    with open(paths['meta'], 'w') as f:
        json.dump(meta, f)
    assert is_synthmotion_up_to_date(root, **TINY)
    assert not is_synthmotion_up_to_date(root, motion='constant', **TINY)


def test_legacy_module_reexports_the_package():
    """``mmssl.datasets.synthetic`` (the pre-split path that tools, tests,
    docs and user code import) exposes the package's public objects."""
    from mmssl.datasets import synthetic, synthmotion
    assert synthetic.__all__ == synthmotion.__all__
    for name in synthmotion.__all__:
        assert getattr(synthetic, name) is getattr(synthmotion, name), name
    assert synthetic.DEFAULT_PARAMS['num_frames'] == 48
