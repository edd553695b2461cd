"""PackSSLInputs: inputs, targets, labels and metainfo."""
import numpy as np
import pytest
import torch

from mmssl.datasets.transforms import PackSSLInputs


def test_pack_inputs_targets_and_meta():
    imgs = np.random.rand(3, 3, 4, 8, 8).astype(np.float32)  # V C T H W
    out = PackSSLInputs(target_keys=('order_label', 'clip_order'))(
        dict(
            imgs=imgs,
            label=2,
            order_label=4,
            clip_order=np.array([2, 0, 1]),
            filename='v.mp4',
            retrieval_split='test',
            num_clips=3))
    assert out['inputs'].shape == (3, 3, 4, 8, 8)
    sample = out['data_samples']
    assert sample.order_label.dtype == torch.long
    assert sample.order_label.item() == 4
    assert sample.clip_order.tolist() == [2, 0, 1]
    assert sample.gt_labels.item.tolist() == [2]
    assert sample.metainfo['retrieval_split'] == 'test'
    assert sample.metainfo['filename'] == 'v.mp4'


def test_pack_missing_target_names_it():
    with pytest.raises(KeyError, match='order_label'):
        PackSSLInputs(target_keys=('order_label', ))(
            dict(imgs=np.zeros((1, 3, 2, 4, 4)), filename='v.mp4'))
    with pytest.raises(KeyError, match='imgs'):
        PackSSLInputs()(dict(label=0))
