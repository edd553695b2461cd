"""The cached-feature linear probe against scikit-learn's logistic
regression, determinism, and input errors."""
import pytest
import torch

from mmssl.evaluation.functional.linear_probe import (cosine_lr,
                                                      topk_accuracy,
                                                      train_linear_probe)


def blobs(num_per_class, num_classes=4, dim=16, spread=1.0, noise_seed=0):
    """Gaussian blobs around fixed random class centres (separable for a
    small ``spread``); ``noise_seed`` draws a new sample of the same
    classes."""
    centres = torch.randn(
        num_classes, dim, generator=torch.Generator().manual_seed(0)) * 3 + 5
    labels = torch.arange(num_classes).repeat_interleave(num_per_class)
    feats = centres[labels] + spread * torch.randn(
        len(labels), dim,
        generator=torch.Generator().manual_seed(noise_seed))
    return feats, labels


@pytest.mark.parametrize('spread', [1.0, 3.0, 6.0])
def test_agrees_with_sklearn_logistic_regression(spread):
    pytest.importorskip('sklearn')
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler
    train_feats, train_labels = blobs(40, spread=spread, noise_seed=0)
    val_feats, val_labels = blobs(25, spread=spread, noise_seed=1)
    report, classifier = train_linear_probe(
        train_feats, train_labels, val_feats, val_labels, 4,
        return_classifier=True)
    scaler = StandardScaler().fit(train_feats.numpy())
    reference = LogisticRegression(max_iter=2000).fit(
        scaler.transform(train_feats.numpy()), train_labels.numpy())
    ref_pred = reference.predict(scaler.transform(val_feats.numpy()))
    ref_top1 = (ref_pred == val_labels.numpy()).mean() * 100
    mean = train_feats.mean(0)
    std = (train_feats.var(0, unbiased=False) + 1e-6).sqrt()
    with torch.no_grad():
        ours = classifier((val_feats - mean) / std).argmax(1).numpy()
    agreement = (ours == ref_pred).mean()
    if spread == 1.0:  # separable: both perfect
        assert report['top1'] == ref_top1 == 100.0
    else:  # overlapping: the same decisions up to near-boundary points
        assert 50 < ref_top1 < 100
        assert abs(report['top1'] - ref_top1) <= 3.0
        assert agreement >= 0.95
    assert report['top5'] == 100.0  # 4 classes: top-5 is every class


def test_deterministic_by_seed_and_order_dependent():
    feats, labels = blobs(30, spread=3.0)
    kwargs = dict(epochs=5, batch_size=16)
    first = train_linear_probe(feats, labels, feats, labels, 4, seed=3,
                               return_classifier=True, **kwargs)[1]
    again = train_linear_probe(feats, labels, feats, labels, 4, seed=3,
                               return_classifier=True, **kwargs)[1]
    other = train_linear_probe(feats, labels, feats, labels, 4, seed=4,
                               return_classifier=True, **kwargs)[1]
    assert torch.equal(first.weight, again.weight)
    assert not torch.equal(first.weight, other.weight)


def test_topk_and_cosine_schedule_by_hand():
    logits = torch.tensor([[0.1, 0.9, 0.0], [0.8, 0.1, 0.3], [0.2, 0.3, 0.5]])
    labels = torch.tensor([1, 2, 0])
    assert topk_accuracy(logits, labels, 1) == pytest.approx(100 / 3)
    assert topk_accuracy(logits, labels, 2) == pytest.approx(200 / 3)
    assert topk_accuracy(logits, labels, 5) == 100.0  # clipped to 3 classes
    assert cosine_lr(0.1, 0, 4) == 0.1
    assert cosine_lr(0.1, 2, 4) == pytest.approx(0.05)


def test_bad_inputs_are_named():
    feats, labels = blobs(2)
    with pytest.raises(ValueError, match=r'train: labels must lie in \[0, 3'):
        train_linear_probe(feats, labels, feats, labels, 3)
    with pytest.raises(ValueError, match='val: expected feats'):
        train_linear_probe(feats, labels, feats[:3], labels, 4)
