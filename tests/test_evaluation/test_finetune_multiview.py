"""Multi-view testing of fine-tuned recognizers (issue 9, protocol 1).

K uniformly spaced clips x (1 | 3 | 10) crops per video; the video
prediction is the mean of the per-view softmax probabilities
(MMAction2's Recognizer3D + a head with ``average_clips='prob'``).
"""
import numpy as np
import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope
from video_fixtures import FRAME_VALUE_STEP

import mmssl  # noqa: F401
from mmssl.registry import MODELS, TRANSFORMS
from mmssl.utils import register_all_modules

TINY_R3D = dict(
    type='ResNet3d',
    depth=18,
    stage_blocks=(1, 1, 1, 1),
    base_channels=4,
    pretrained=None,
    pretrained2d=False,
    conv1_kernel=(3, 7, 7),
    conv1_stride_t=1,
    pool1_stride_t=1,
    inflate=(1, 1, 1, 1))


def _recognizer(head_type, average_clips='prob', max_views=None):
    register_all_modules(init_default_scope=False)
    init_default_scope('mmssl')
    head = dict(type=head_type, num_classes=3, in_channels=32,
                average_clips=average_clips)
    if head_type == 'MLPClsHead':
        head.update(hidden_channels=8)
    model = MODELS.build(
        dict(
            type='Recognizer3D',
            backbone=TINY_R3D,
            cls_head=head,
            data_preprocessor=dict(
                type='ActionDataPreprocessor',
                mean=[0., 0., 0.],
                std=[1., 1., 1.],
                format_shape='NCTHW'),
            test_cfg=dict(max_testing_views=max_views)
            if max_views else None))
    torch.manual_seed(0)
    model.init_weights()
    with torch.no_grad():  # fixed, non-trivial head weights (not ~0)
        for p in model.cls_head.parameters():
            p.copy_(torch.randn(p.shape))
    return model.eval()


def _views(num_views=6, seed=1):
    generator = torch.Generator().manual_seed(seed)
    return torch.rand((num_views, 3, 4, 16, 16), generator=generator)


def _view_logits(model, view):
    """(num_classes,) logits of one (C, T, H, W) view on its own."""
    with torch.no_grad():
        scores, _ = model.extract_feat(view[None, None], stage='head')
    return scores[0].numpy()


def _hand_video_probs(model, views):
    """Forward each view alone, softmax by hand, average over views."""
    probs = []
    with torch.no_grad():
        for view in views:
            logits = _view_logits(model, view)
            exp = np.exp(logits - logits.max())
            probs.append(exp / exp.sum())
    return np.mean(probs, axis=0)


@pytest.mark.parametrize('head_type', ['I3DHead', 'MLPClsHead'])
@pytest.mark.parametrize('max_views', [None, 2])
def test_video_score_is_the_mean_of_per_view_probabilities(
        head_type, max_views):
    model = _recognizer(head_type, max_views=max_views)
    views = _views()  # 2 clips x 3 crops of one video
    expected = _hand_video_probs(model, views)
    sample = ActionDataSample().set_gt_labels(torch.tensor([1]))
    with torch.no_grad():
        out = model.test_step(dict(inputs=[views], data_samples=[sample]))
    assert out[0].pred_scores.item.numpy() == pytest.approx(expected, abs=1e-6)
    # averaging logits instead (MMAction2 'score') gives another vector:
    # the check above has the power to tell the two apart
    logits = np.stack([_view_logits(model, v) for v in views])
    assert not np.allclose(expected, logits.mean(0), atol=1e-3)


def test_two_videos_in_a_batch_are_averaged_separately():
    model = _recognizer('I3DHead')
    a, b = _views(seed=1), _views(seed=2)
    samples = [ActionDataSample().set_gt_labels(torch.tensor([0]))
               for _ in range(2)]
    with torch.no_grad():
        out = model.test_step(dict(inputs=[a, b], data_samples=samples))
    assert out[0].pred_scores.item.numpy() == pytest.approx(
        _hand_video_probs(model, a), abs=1e-6)
    assert out[1].pred_scores.item.numpy() == pytest.approx(
        _hand_video_probs(model, b), abs=1e-6)


def test_test_pipeline_gives_clips_x_crops_views(index_videos):
    """2 uniformly spaced clips x ThreeCrop -> 6 views (crop-major) with
    the exact frames of each clip (index video: frame t is grey 5 t)."""
    register_all_modules(init_default_scope=False)
    init_default_scope('mmssl')
    pipeline = Compose([
        TRANSFORMS.build(t) for t in [
            dict(type='SafeDecordInit'),
            dict(type='SampleFrames', clip_len=4, frame_interval=2,
                 num_clips=2, test_mode=True),
            dict(type='DecordDecodeUnion'),
            # ThreeCrop slides along the long side: short side = crop size
            dict(type='Resize', scale=(48, 16), keep_ratio=False),
            dict(type='ThreeCrop', crop_size=16),
            dict(type='FormatShape', input_format='NCTHW'),
            dict(type='PackActionInputs'),
        ]
    ])
    out = pipeline(
        dict(filename=index_videos['long'], label=0, start_index=0,
             modality='RGB'))
    inputs = out['inputs']
    assert tuple(inputs.shape) == (6, 3, 4, 16, 16)
    # MMAction2 1.x test sampling: clip starts evenly spaced from frame 0
    # to the last start whose clip ends on the last frame (39)
    clip_frames = [[0, 2, 4, 6], [33, 35, 37, 39]]
    for view in range(6):
        crop, clip = divmod(view, 2)
        grey = inputs[view].float().mean(dim=(0, 2, 3)).numpy()
        expected = FRAME_VALUE_STEP * np.array(clip_frames[clip])
        assert grey == pytest.approx(expected, abs=3), (crop, clip)


def _coordinate_image(height, width):
    """(H, W, 3) uint8 whose channels 0/1 hold the row/column index."""
    rows, cols = np.mgrid[0:height, 0:width]
    return np.stack([rows, cols, np.zeros_like(rows)], -1).astype(np.uint8)


def _ten_crop(height, width, crop):
    register_all_modules(init_default_scope=False)
    transform = TRANSFORMS.build(dict(type='TenCrop', crop_size=crop))
    out = transform(dict(imgs=[_coordinate_image(height, width)] * 2))
    return out['imgs']  # per crop position: 2 frames, then 2 flipped frames


def test_ten_crop_is_centre_and_four_corners_and_their_flips():
    height, width, crop = 12, 16, 8
    imgs = _ten_crop(height, width, crop)
    assert len(imgs) == 20  # 10 crops x 2 frames
    origins = [(0, 0), (0, 8), (4, 0), (4, 8), (2, 4)]  # (y, x): UL UR LL
    # LR, centre: corners flush with the image edges, centre centred
    for k, (y, x) in enumerate(origins):
        crop_img, flipped = imgs[4 * k], imgs[4 * k + 2]
        assert crop_img[0, 0, 0] == y and crop_img[0, 0, 1] == x
        assert crop_img[-1, -1, 0] == y + crop - 1
        assert crop_img[-1, -1, 1] == x + crop - 1
        np.testing.assert_array_equal(flipped, crop_img[:, ::-1])
        np.testing.assert_array_equal(imgs[4 * k + 1], crop_img)


def test_ten_crop_corners_of_171x128_frames():
    """MMAction2 1.1.0 steps corners by (W - w) // 4: with the recipes'
    128x171 frames and 112 crops the right corners start at x = 56, three
    pixels short of the edge (59), the centre at x = 28 (exact: 29.5);
    docs/protocols/finetune.md lists this."""
    imgs = _ten_crop(128, 171, 112)
    right_x = [imgs[4 * k][0, 0, 1] for k in (1, 3)]
    assert right_x == [56, 56]
    assert imgs[4 * 4][0, 0, 1] == 28 and imgs[4 * 4][0, 0, 0] == 8


RECIPES = ['stclr-ft_r3d-18_1xb16-16x112x112-one-cycle-460e',
           'csvr-ft_r2plus1d-18_1xb32-16x112x112-cosine-100e',
           'vcop-ft_r3d-vcop_1xb8-16x112x112-150e',
           'prp-ft_r3d-vcop_1xb8-16x112x112-step-160e',
           'study-ft_r2plus1d-vcop_1xb8-16x112x112-150e']


@pytest.mark.parametrize('recipe', RECIPES)
def test_recipe_pipelines_run_on_a_video(recipe, index_videos, repo_root):
    """Train / val / test pipelines of each paper recipe on a real (short,
    32x32) video: one 16x112x112 clip, and K clips x crops at test."""
    from mmengine.config import Config
    register_all_modules(init_default_scope=False)
    init_default_scope('mmssl')
    cfg = Config.fromfile(
        f'{repo_root}/configs/benchmarks/finetune/{recipe}_ucf101-split1.py')
    test_views = {'stclr': 10 * 10}.get(recipe.split('-')[0], 10)
    for loader, views in [('train_dataloader', 1), ('val_dataloader', 1),
                          ('test_dataloader', test_views)]:
        pipeline = Compose([
            TRANSFORMS.build(t) for t in cfg[loader].dataset.pipeline
        ])
        out = pipeline(
            dict(filename=index_videos['long'], label=3, start_index=0,
                 modality='RGB'))
        assert tuple(out['inputs'].shape) == (views, 3, 16, 112, 112), loader
        assert int(out['data_samples'].gt_labels.item) == 3
