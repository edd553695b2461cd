"""Repeated frames are decoded, resized and stored once (issue 16, item 3).

The shared pipeline must give bit-identical outputs to the copying one
(``frames[inverse]`` after decode, MMAction2's Resize/Flip) for a fixed
seed, with twins still augmented independently.
"""
import copy
import os.path as osp
import random

import cv2
import mmcv
import numpy as np
import pytest
from mmengine.config import Config
from mmengine.registry import DefaultScope
from video_fixtures import code_frame, frame_index

from mmssl.datasets.transforms import (DecordDecodeUnion, PerClipTransform,
                                       SafeDecordInit, TCLRSampleClips)
from mmssl.datasets.transforms.augment import split_clip_frames
from mmssl.datasets.transforms.shared_frames import (SharedFrameFlip,
                                                     SharedFrameResize,
                                                     needs_private_frames,
                                                     writable_frames)
from mmssl.registry import TRANSFORMS

AUG_FILE = osp.join(
    osp.dirname(__file__), '..', '..', '..', 'configs', '_base_',
    'datasets', 'tclr_clip_augment.py')


@pytest.fixture(autouse=True)
def mmssl_scope():
    with DefaultScope.overwrite_default_scope('mmssl'):
        yield


@pytest.fixture(scope='module')
def coded_video(tmp_path_factory):
    """48 lossless frames, each coded with its index and left-right
    asymmetric (a flip changes every frame)."""
    path = str(tmp_path_factory.mktemp('shared') / 'coded.avi')
    writer = cv2.VideoWriter(path, cv2.VideoWriter_fourcc(*'FFV1'), 25,
                             (64, 48))
    ramp = np.arange(64, dtype=np.uint8)
    for t in range(48):
        frame = code_frame(t, 64)[:48].copy()
        frame[..., 1] = frame[..., 1] // 2 + ramp
        writer.write(frame)
    writer.release()
    return path


def _decode(path, inds):
    results = SafeDecordInit()(dict(filename=path))
    results['frame_inds'] = np.asarray(inds)
    return DecordDecodeUnion()(results)


def test_decode_repeats_the_same_read_only_object(index_videos):
    out = _decode(index_videos['long'], [3, 4, 5, 4, 5, 6, 30, 3])
    imgs = out['imgs']
    assert [frame_index(f) for f in imgs] == [3, 4, 5, 4, 5, 6, 30, 3]
    assert len({id(f) for f in imgs}) == out['num_decoded_frames'] == 5
    assert imgs[0] is imgs[7] and imgs[1] is imgs[3]
    assert [f.flags.writeable for f in imgs] == [
        False, False, False, False, False, True, True, False]


def test_resize_once_per_distinct_frame(index_videos, monkeypatch):
    out = _decode(index_videos['long'], [3, 4, 5, 4, 5, 6, 30, 3])
    calls = []
    imresize = mmcv.imresize
    monkeypatch.setattr(mmcv, 'imresize',
                        lambda img, *a, **k: calls.append(1) or imresize(
                            img, *a, **k))
    resize = TRANSFORMS.build(dict(type='Resize', scale=(16, 16),
                                   keep_ratio=False))
    assert isinstance(resize, SharedFrameResize)
    imgs = resize(out)['imgs']
    assert len(calls) == 5
    assert imgs[0] is imgs[7] and not imgs[0].flags.writeable
    assert imgs[5].flags.writeable and imgs[5].shape == (16, 16, 3)
    assert [frame_index(f) for f in imgs] == [3, 4, 5, 4, 5, 6, 30, 3]


def test_writable_frames_copies_only_shared_ones():
    a, b = np.zeros((2, 2, 3), np.uint8), np.ones((2, 2, 3), np.uint8)
    ro = np.full((2, 2, 3), 7, np.uint8)
    ro.flags.writeable = False
    out = writable_frames([a, b, a, ro, a[:1]])
    assert out[0] is a and out[1] is b and out[4].base is a
    assert out[2] is not a and np.array_equal(out[2], a)
    assert out[3].flags.writeable and np.array_equal(out[3], ro)


def test_flip_copies_shared_frames_before_flipping_in_place(index_videos):
    frame = np.arange(2 * 3 * 3, dtype=np.uint8).reshape(2, 3, 3)
    frame.flags.writeable = False
    results = dict(imgs=[frame, frame], modality='RGB', img_shape=(2, 3))
    flip = TRANSFORMS.build(dict(type='Flip', flip_ratio=1.0))
    assert isinstance(flip, SharedFrameFlip)
    out = flip(copy.copy(results))['imgs']
    assert all(np.array_equal(f, frame[:, ::-1]) for f in out)
    # MMAction2's in-place Flip on shared frames fails loudly (no silent
    # double flip)
    with pytest.raises(Exception):
        TRANSFORMS.build(dict(type='mmaction.Flip', flip_ratio=1.0))(results)


def test_wrappers_copy_only_before_an_in_place_op():
    aug = Config.fromfile(AUG_FILE).tclr_clip_aug_32
    assert not PerClipTransform(aug).private_frames  # crop, resize, ...
    assert PerClipTransform([dict(type='Flip'), dict(
        type='Resize', scale=(8, 8), keep_ratio=False)]).private_frames
    assert PerClipTransform([dict(type='ClipGrayscale')]).private_frames
    assert needs_private_frames([])
    frame = np.zeros((4, 4, 3), np.uint8)
    frame.flags.writeable = False
    results = dict(imgs=[frame] * 4, num_clips=2, clip_len=2)
    shared, *_ = split_clip_frames(results, 'test', private=False)
    assert all(f is frame for f in shared)
    private, *_ = split_clip_frames(results, 'test')
    assert len({id(f) for f in private}) == 4
    assert all(f.flags.writeable for f in private)


def _old_gather(results):
    """What DecordDecodeUnion did before: one private copy per index."""
    results['imgs'] = [np.array(f) for f in results['imgs']]
    return results


def _run(path, seed, shared, top_level_flip=False):
    aug = copy.deepcopy(Config.fromfile(AUG_FILE).tclr_clip_aug_32)
    prefix = '' if shared else 'mmaction.'
    for t in aug:
        if t['type'] in ('Resize', 'Flip'):
            t['type'] = prefix + t['type']
    steps = [
        SafeDecordInit(),
        TCLRSampleClips(clip_len=8, num_local_clips=4,
                        instance_rates=(1, 2, 3)),
        DecordDecodeUnion()
    ] + ([] if shared else [_old_gather]) + [
        TRANSFORMS.build(dict(type=prefix + 'Resize', scale=(-1, 40)))
    ]
    if top_level_flip:
        steps.append(TRANSFORMS.build(dict(type=prefix + 'Flip',
                                           flip_ratio=1.0)))
    steps += [PerClipTransform(aug),
              TRANSFORMS.build(dict(type='FormatShape',
                                    input_format='NCTHW'))]
    np.random.seed(seed)
    random.seed(seed)
    results = dict(filename=path, modality='RGB')
    for step in steps:
        results = step(results)
    return results


@pytest.mark.parametrize('top_level_flip', [False, True])
def test_shared_pipeline_is_bit_identical_to_copying_one(
        coded_video, top_level_flip):
    twins_differ = 0
    for seed in range(4):
        new = _run(coded_video, seed, True, top_level_flip)
        old = _run(coded_video, seed, False, top_level_flip)
        assert new['num_decoded_frames'] < len(new['frame_inds'])
        assert new['imgs'].dtype == old['imgs'].dtype
        np.testing.assert_array_equal(new['imgs'], old['imgs'])
        assert [p.get('flip') for p in new['clip_params']] == [
            p.get('flip') for p in old['clip_params']]
        # local clips 2..5 have twins 6..9 with their own draws
        for k in range(2, 6):
            twins_differ += not np.array_equal(new['imgs'][k],
                                               new['imgs'][k + 4])
    assert twins_differ > 0


def test_decord_sequential_keeps_no_view_of_its_batch(index_videos):
    """Kept frames must not hold their 16-frame get_batch chunks alive (the
    decode step peaked at 553 MB for a 768x576 sample): they are copied
    into one array that owns its memory, with nothing else in it."""
    from mmssl.datasets.transforms.decode_backends import open_video
    source = open_video(index_videos['long'], 'decord')
    frames = source.read([1, 20, 21], 'sequential', stack=False)
    assert isinstance(frames, np.ndarray) and frames.flags.owndata
    assert frames.shape[0] == 3
    batch = source.reader.get_batch([1, 20, 21]).asnumpy()
    np.testing.assert_array_equal(frames, batch)
    source.close()


@pytest.mark.parametrize('wrapper', ['groups', 'views'])
def test_group_and_view_wrappers_flip_shared_frames_once(wrapper):
    """Two clips made of the same read-only frame, both flipped (in place
    before any resize): each must be flipped exactly once."""
    from mmssl.datasets.transforms import (ClipGroupsTransform,
                                           PerViewTransform)
    frame = np.arange(4 * 6 * 3, dtype=np.uint8).reshape(4, 6, 3)
    frame.flags.writeable = False
    flip = dict(type='mmaction.Flip', flip_ratio=1.0)
    t = (ClipGroupsTransform([flip], groups=((0, ), (1, ))) if wrapper ==
         'groups' else PerViewTransform([[flip], [flip]]))
    out = t(dict(imgs=[frame] * 4, num_clips=2, clip_len=2,
                 modality='RGB', img_shape=(4, 6)))
    for f in out['imgs']:
        np.testing.assert_array_equal(f, frame[:, ::-1])
    assert [p['flip'] for p in out['clip_params']] == [True, True]
