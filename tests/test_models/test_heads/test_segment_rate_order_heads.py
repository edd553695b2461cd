"""Order classifier and rate predictor of segment sample-rate order
prediction (issue 11; paper Eq. 1-7)."""
import pytest
import torch
import torch.nn.functional as F

from mmssl.models.heads import SegmentOrderHead, SegmentRateHead


def test_order_head_cross_entropy_and_accuracy():
    torch.manual_seed(0)
    head = SegmentOrderHead(in_channels=6, num_segments=3, hidden_channels=5,
                            loss_weight=2.0)
    feats = torch.randn(4, 6)
    labels = torch.tensor([0, 5, 2, 3])
    logits = head(feats)
    assert logits.shape == (4, 6)
    out = head.loss(feats, labels)
    torch.testing.assert_close(out['loss_order'],
                               2.0 * F.cross_entropy(logits, labels))
    assert out['acc_order'] == (logits.argmax(1) == labels).float().mean()
    # feature maps are pooled first
    torch.testing.assert_close(
        head(feats[:, :, None, None, None].expand(4, 6, 2, 3, 3)), logits)
    with pytest.raises(ValueError, match='order_label outside'):
        head.loss(feats, torch.tensor([0, 6, 1, 1]))
    with pytest.raises(ValueError, match='in_channels'):
        SegmentOrderHead()
    assert SegmentOrderHead(in_channels=4, num_segments=5).num_classes == 120


def test_rate_head_regression_is_weighted_mse():
    head = SegmentRateHead(in_channels=3, num_segments=3, num_layers=1,
                           loss_weight=0.3)
    with torch.no_grad():
        head.mlp.mlp[0].weight.copy_(torch.eye(3))
        head.mlp.mlp[0].bias.zero_()
    feats = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    rates = torch.tensor([[1, 2, 5], [4, 8, 6]])
    out = head.loss(feats, rates)
    # errors (0, 0, -2, 0, -3, 0): mean square 13 / 6, mean abs 5 / 6
    assert out['loss_rate'].item() == pytest.approx(0.3 * 13 / 6)
    assert out['rate_mae'].item() == pytest.approx(5 / 6)
    torch.testing.assert_close(head.predict_rates(feats), feats)
    with pytest.raises(ValueError, match=r'\(N, 3\)'):
        head.loss(feats, rates[:, :2])


def test_rate_head_classification_variant():
    torch.manual_seed(0)
    head = SegmentRateHead(in_channels=6, num_segments=3,
                           mode='classification', max_rate=8, loss_weight=1.0)
    feats = torch.randn(2, 6)
    rates = torch.tensor([[1, 8, 3], [2, 2, 7]])
    logits = head(feats)
    assert logits.shape == (2, 3, 8)
    out = head.loss(feats, rates)
    expected = F.cross_entropy(logits.reshape(6, 8), (rates - 1).reshape(6))
    torch.testing.assert_close(out['loss_rate'], expected)
    assert head.predict_rates(feats).min() >= 1
    with pytest.raises(ValueError, match='max_rate'):
        head.loss(feats, torch.tensor([[1, 9, 3], [2, 2, 7]]))
    with pytest.raises(ValueError, match='mode'):
        SegmentRateHead(in_channels=6, mode='ordinal')
