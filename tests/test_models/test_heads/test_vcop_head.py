"""VCOPHead: pairwise MLP structure and the cross-entropy of Xu et al."""
import math

import pytest
import torch
import torch.nn.functional as F

from mmssl.models.heads import VCOPHead


def build_head(num_clips=3, in_channels=4, hidden=5):
    torch.manual_seed(0)
    head = VCOPHead(
        in_channels=in_channels,
        num_clips=num_clips,
        hidden_channels=hidden,
        dropout_ratio=0.0)
    head.init_weights()
    return head.eval()


@pytest.mark.parametrize('num_clips', [3, 4, 5])
def test_output_classes(num_clips):
    head = build_head(num_clips)
    logits = head(torch.randn(2, num_clips, 4))
    assert logits.shape == (2, math.factorial(num_clips))
    assert head.fc_cls.in_features == 5 * num_clips * (num_clips - 1) // 2


def test_forward_matches_explicit_pairwise_computation():
    head = build_head()
    feats = torch.randn(2, 3, 4)
    pair_outputs = []
    for i, j in [(0, 1), (0, 2), (1, 2)]:
        pair = torch.cat([feats[:, i], feats[:, j]], dim=1)
        pair_outputs.append(torch.relu(head.pair_fc(pair)))
    expected = head.fc_cls(torch.cat(pair_outputs, dim=1))
    assert torch.allclose(head(feats), expected, atol=1e-6)


def test_loss_is_cross_entropy_by_hand():
    head = build_head()
    feats = torch.randn(3, 3, 4)
    labels = torch.tensor([0, 5, 2])
    logits = head(feats)
    by_hand = -sum(
        logits[n, labels[n]] - torch.log(torch.exp(logits[n]).sum())
        for n in range(3)) / 3
    losses = head.loss(feats, labels)
    assert torch.allclose(losses['loss_order'], by_hand, atol=1e-6)
    assert torch.allclose(losses['loss_order'],
                          F.cross_entropy(logits, labels))
    expected_acc = (logits.argmax(1) == labels).float().mean()
    assert losses['acc_order'] == expected_acc


def test_wrong_shape_is_explained():
    with pytest.raises(ValueError, match=r'\(B, 3, D\)'):
        build_head()(torch.randn(2, 4, 4))
