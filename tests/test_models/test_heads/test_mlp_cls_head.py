"""MLPClsHead: STCLR's two-FC fine-tuning head (paper 001, Sec. 4.2.2)."""
import numpy as np
import pytest
import torch

from mmssl.models.heads import MLPClsHead


def _fixed_head(**kwargs):
    """in 3 -> hidden 2 -> 2 classes with hand-picked weights."""
    head = MLPClsHead(num_classes=2, in_channels=3, hidden_channels=2,
                      **kwargs)
    with torch.no_grad():
        head.fc_hidden.weight.copy_(
            torch.tensor([[1., 0., -1.], [0.5, 0.5, 0.]]))
        head.fc_hidden.bias.copy_(torch.tensor([0., -1.]))
        head.fc_cls.weight.copy_(torch.tensor([[2., 0.], [-1., 1.]]))
        head.fc_cls.bias.copy_(torch.tensor([0.1, 0.]))
    return head


def test_forward_matches_hand_computation_after_pooling():
    head = _fixed_head(dropout_ratio=0.9).eval()
    # (N=1, C=3, T=1, H=1, W=2): spatial-temporal mean gives [1, 2, 3]
    x = torch.tensor([[0., 1., 2.], [2., 3., 4.]]).t().reshape(1, 3, 1, 1, 2)
    # hidden: relu([1 - 3, 0.5 + 1 - 1]) = [0, 0.5]; logits [0.1, 0.5]
    assert head(x)[0].tolist() == pytest.approx([0.1, 0.5])
    # already pooled (N, C) features take the same path
    assert head(torch.tensor([[1., 2., 3.]]))[0].tolist() == pytest.approx(
        [0.1, 0.5])


def test_dropout_between_the_two_layers_only_in_training():
    head = _fixed_head(dropout_ratio=0.5)
    assert isinstance(head.dropout, torch.nn.Dropout)
    assert head.dropout.p == 0.5
    torch.manual_seed(0)
    x = torch.tensor([[2., 0., 0.]]).repeat(256, 1)  # hidden [2, 0]
    outs = head.train()(x)[:, 0]  # 2 * dropped_or_scaled(2) + 0.1
    values = set(np.round(outs.tolist(), 4))
    assert values == {0.1, 8.1}  # dropped, or kept and scaled by 1 / 0.5
    assert head.eval()(x)[:, 0].tolist() == pytest.approx([4.1] * 256)


def test_default_hidden_width_and_init():
    head = MLPClsHead(num_classes=5, in_channels=8)
    head.init_weights()
    assert head.fc_hidden.out_features == 8
    assert head.dropout.p == 0.9  # STCLR's rate
    assert float(head.fc_cls.bias.detach().abs().sum()) == 0


@pytest.mark.parametrize('kwargs, match', [
    (dict(dropout_ratio=1.0), 'dropout_ratio'),
    (dict(spatial_type='max'), 'spatial_type'),
])
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        MLPClsHead(num_classes=2, in_channels=3, **kwargs)


def test_average_clips_prob_is_mean_of_view_softmax():
    head = _fixed_head(average_clips='prob').eval()
    feats = torch.tensor([[1., 2., 3.], [2., 0., 0.], [0., 4., 1.]])
    logits = head(feats).detach().numpy()  # 3 views of one video
    probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    video = head.average_clip(head(feats), num_segs=3)
    assert video.detach().numpy()[0] == pytest.approx(probs.mean(0))
