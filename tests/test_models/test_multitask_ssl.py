"""MultiTaskSSL (Jeyaprabhavathi, Sec. 3): weighted total loss, branches
of the baselines, temporal labels, heads and decoder."""
import itertools
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.registry import init_default_scope
from multitask_fixtures import multitask_batch
from probe_fixtures import REPO_ROOT

from mmssl.datasets.transforms.sampling import permutation_table
from mmssl.models.utils.segment_order import reverse_time, shuffle_segments
from mmssl.registry import MODELS
from mmssl.utils import register_all_modules

TINY = ('configs/multitask_ssl/'
        'multitask-ssl_cnn-tt-tiny{}_1xb16-8x32x32-{}40e_synthmotion.py')
CONFIGS = dict(
    full=TINY.format('', 'mask0.45-'),
    contrast=TINY.format('_contrast-only', ''),
    mae=TINY.format('_mae-only', 'mask0.45-'),
    order=TINY.format('_order-only', ''))


def build(name='full', **changes):
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(osp.join(REPO_ROOT, CONFIGS[name]))
    cfg.model.update(changes)
    init_default_scope('mmssl')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.init_weights()
    return model


def test_order_and_direction_labels_recover_the_applied_transform():
    seq = torch.arange(8.).view(1, 8, 1).repeat(24, 1, 2)
    labels = torch.arange(24)
    shuffled = shuffle_segments(seq, labels, 4)[..., 0]
    for label, row in zip(labels.tolist(), shuffled):
        shown = row.view(4, 2)[:, 0].long() // 2  # original segment indices
        assert tuple(shown.tolist()) == permutation_table(4)[label]
        assert (row.view(4, 2)[:, 1] == row.view(4, 2)[:, 0] + 1).all()
    flipped = reverse_time(seq[:2], torch.tensor([0, 1]))[..., 0]
    assert flipped[0].tolist() == list(range(8))
    assert flipped[1].tolist() == list(range(7, -1, -1))
    assert len(permutation_table(4)) == 24
    assert permutation_table(4) == tuple(itertools.permutations(range(4)))


def test_shuffling_frame_embeddings_equals_shuffling_input_frames():
    backbone = build().backbone.eval()
    clips = torch.randn(2, 3, 8, 32, 32)
    labels = torch.tensor([7, 23])
    frames = backbone.encode(clips)['frames']
    via_embeddings = backbone.temporal(shuffle_segments(frames, labels, 4))
    shuffled_input = shuffle_segments(clips.transpose(1, 2), labels,
                                      4).transpose(1, 2)
    direct = backbone(shuffled_input)[..., 0, 0].transpose(1, 2)
    assert torch.allclose(via_embeddings, direct, atol=1e-5)


def test_total_loss_is_the_weighted_sum_of_the_branches():
    inputs, samples = multitask_batch()
    ones = build().eval()
    weighted = build(
        loss_weights=dict(contrast=0.5, reconstruction=2.0,
                          temporal=3.0)).eval()
    base = ones.loss(inputs, samples)
    losses = weighted.loss(inputs, samples)
    assert set(base) == {
        'loss_contrast', 'acc_contrast', 'loss_pixel', 'loss_order',
        'acc_order', 'loss_direction', 'acc_direction'
    }
    for key, w in (('loss_contrast', 0.5), ('loss_pixel', 2.0),
                   ('loss_order', 3.0), ('loss_direction', 3.0)):
        assert torch.allclose(losses[key], w * base[key])
    assert torch.equal(losses['acc_order'], base['acc_order'])
    total, _ = weighted.parse_losses(losses)
    expected = 0.5 * base['loss_contrast'] + 2.0 * base['loss_pixel'] + \
        3.0 * (base['loss_order'] + base['loss_direction'])
    assert torch.allclose(total, expected)


@pytest.mark.parametrize('name,keys', [
    ('contrast', {'loss_contrast'}),
    ('mae', {'loss_pixel'}),
    ('order', {'loss_order'}),
])
def test_baselines_switch_the_other_losses_off(name, keys):
    model = build(name)
    inputs, samples = multitask_batch(2)
    losses = model.loss(inputs, samples)
    assert {k for k in losses if k.startswith('loss')} == keys
    for module in ('contrast_head', 'decoder', 'order_head',
                   'direction_head'):
        built = getattr(model, module) is not None
        assert built == (module in {
            'contrast': ('contrast_head', ),
            'mae': ('decoder', ),
            'order': ('order_head', )
        }[name])
    sum(v for k, v in losses.items() if k.startswith('loss')).backward()


def test_branch_errors():
    with pytest.raises(ValueError, match='both decoder'):
        build(reconstruction_head=None)
    with pytest.raises(ValueError, match='at least one branch'):
        build('order', order_head=None)
    with pytest.raises(ValueError, match='unknown loss_weights'):
        build(loss_weights=dict(alpha=1.0))


def test_masked_pixel_head_matches_videomae_head_and_allows_ragged_masks():
    torch.manual_seed(2)
    videos = torch.randn(2, 3, 4, 8, 8)
    mask = torch.zeros(2, 16, dtype=torch.bool)
    mask[:, ::3] = True
    pred = torch.randn(2, 16, 48)
    ragged = MODELS.build(dict(type='MaskedPixelHead', patch_size=4,
                               tubelet_size=1))
    dense = MODELS.build(dict(type='VideoMAEPixelHead', patch_size=4,
                              tubelet_size=1))
    got = ragged.loss(pred, videos, mask)['loss_pixel']
    ref = dense.loss(pred[mask].view(2, -1, 48), videos, mask)['loss_pixel']
    assert torch.allclose(got, ref)
    mask[1, 1] = True  # 6 and 7 masked tokens
    target = ragged.targets(videos, torch.ones_like(mask))
    err = ((pred - target)**2).mean(-1)
    assert torch.allclose(
        ragged.loss(pred, videos, mask)['loss_pixel'], err[mask].mean())


def test_segment_head_loss_is_cross_entropy_of_its_logits():
    head = MODELS.build(dict(type='SegmentSequenceClsHead', in_channels=6,
                             num_segments=2, num_classes=2,
                             name='direction'))
    seq = torch.randn(3, 4, 6)
    labels = torch.tensor([0, 1, 1])
    logits = head.mlp(seq.view(3, 2, 2, 6).mean(2).flatten(1))
    out = head.loss(seq, labels)
    assert torch.allclose(out['loss_direction'],
                          F.cross_entropy(logits, labels))
    assert torch.allclose(out['acc_direction'],
                          (logits.argmax(1) == labels).float().mean())


def test_decoder_predicts_every_token_in_patch_order():
    decoder = MODELS.build(dict(type='FramePixelDecoder', in_channels=5,
                                context_channels=6, out_channels=12))
    out = decoder(torch.randn(2 * 3, 5, 2, 2), torch.randn(2, 3, 6),
                  (3, 4, 4))
    assert out.shape == (2, 3 * 16, 12)


def test_backbone_output_and_frozen_stages():
    model = build(
        backbone=dict(
            type='CNNTemporalTransformer', cnn=dict(type='FrameConvStem'),
            embed_dims=32, depth=1, num_heads=2, frozen_stages=0))
    out = model.backbone(torch.randn(2, 3, 4, 32, 32))
    assert out.shape == (2, 32, 4, 1, 1)
    model.train()
    assert not any(p.requires_grad for p in model.backbone.cnn.parameters())
    assert not model.backbone.cnn.training
    assert all(p.requires_grad
               for p in model.backbone.transformer.parameters())
    assert model(torch.randn(2, 2, 3, 4, 32, 32)).shape == (2, 2, 32)


def test_spatial_pool_grid_keeps_where_things_are():
    def backbone(size):
        torch.manual_seed(0)
        return MODELS.build(dict(
            type='CNNTemporalTransformer', cnn=dict(type='FrameConvStem'),
            embed_dims=32, depth=1, num_heads=2,
            spatial_pool_size=size)).eval()

    # a bright square left vs right in an otherwise empty frame
    clips = torch.zeros(2, 3, 1, 32, 32)
    clips[0, :, :, 12:20, 2:10] = 1.
    clips[1, :, :, 12:20, 22:30] = 1.
    assert backbone((2, 2)).frame_proj.in_features == 4 * 64
    gaps = {}
    for size in ((1, 1), (2, 2)):
        frames = backbone(size).encode(clips)['frames'].detach()
        gaps[size] = float((frames[0] - frames[1]).norm() / frames[0].norm())
    # global pooling: only border effects tell the two apart (0.07 here)
    assert gaps[(1, 1)] < 0.2 and gaps[(2, 2)] > 0.4, gaps


def test_tiny_pipeline_feeds_the_model(tmp_path):
    """The tiny config's training pipeline (two views, masks, order and
    direction labels) on a short video, packed and through ``loss``."""
    from mmengine.dataset import Compose, pseudo_collate
    from video_fixtures import write_index_video
    register_all_modules(init_default_scope=False)
    init_default_scope('mmssl')
    cfg = Config.fromfile(osp.join(REPO_ROOT, CONFIGS['full']))
    pipeline = Compose(cfg.train_pipeline)
    video = write_index_video(str(tmp_path / 'v.avi'), 24)
    samples = [
        pipeline(dict(filename=video, label=0, start_index=0,
                      modality='RGB')) for _ in range(2)
    ]
    sample = samples[0]
    assert sample['inputs'].shape == (2, 3, 8, 32, 32)
    assert sample['data_samples'].mask.shape == (2, 8 * 4 * 4)
    assert 0 <= int(sample['data_samples'].order_label) < 24
    assert int(sample['data_samples'].direction_label) in (0, 1)
    model = build()
    data = model.data_preprocessor(pseudo_collate(samples), True)
    losses = model(**data, mode='loss')
    assert {'loss_contrast', 'loss_pixel', 'loss_order',
            'loss_direction'} <= set(losses)
