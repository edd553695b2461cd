"""Weighted k-NN classifier (issue 9, protocol 3) against independent
references: scikit-learn's KNeighborsClassifier for the majority vote and a
brute-force loop for InstDisc's exp(sim / T) weights."""
import math

import numpy as np
import pytest
import torch

from mmssl.evaluation.functional import knn_accuracy, knn_classify


def random_set(seed, n, d=6, num_classes=5):
    gen = torch.Generator().manual_seed(seed)
    feats = torch.randn(n, d, generator=gen)
    labels = torch.randint(0, num_classes, (n, ), generator=gen)
    return feats, labels


def brute_force_scores(train, train_labels, test, num_classes, k, t):
    """One query at a time, plain Python loops over all pairs."""
    scores = torch.zeros(len(test), num_classes, dtype=torch.float64)
    for i, q in enumerate(test.tolist()):
        sims = []
        for j, g in enumerate(train.tolist()):
            dot = sum(a * b for a, b in zip(q, g))
            norm = math.sqrt(sum(a * a for a in q)) * math.sqrt(
                sum(b * b for b in g))
            sims.append((dot / norm, j))
        sims.sort(key=lambda s: -s[0])
        for sim, j in sims[:k]:
            scores[i, int(train_labels[j])] += math.exp(sim / t)
    return scores


def test_uniform_vote_matches_sklearn():
    neighbors = pytest.importorskip('sklearn.neighbors')
    train, train_labels = random_set(0, 60)
    test, test_labels = random_set(1, 25)
    k = 7
    ref = neighbors.KNeighborsClassifier(
        n_neighbors=k, metric='cosine', weights='uniform', algorithm='brute')
    ref.fit(train.numpy(), train_labels.numpy())
    scores = knn_classify(
        train, train_labels, test, 5, k=k, weighting='uniform',
        batch_size=4)
    np.testing.assert_allclose(
        scores.numpy() / k, ref.predict_proba(test.numpy()), atol=1e-6)
    np.testing.assert_array_equal(
        scores.argmax(dim=1).numpy(), ref.predict(test.numpy()))
    acc = knn_accuracy(train, train_labels, test, 5, k=k,
                       weighting='uniform', test_labels=test_labels)
    expected = 100.0 * ref.score(test.numpy(), test_labels.numpy())
    assert acc['top1'] == pytest.approx(expected)


@pytest.mark.parametrize('batch_size', [3, 1024])
def test_exp_weights_match_brute_force(batch_size):
    train, train_labels = random_set(2, 40)
    test, _ = random_set(3, 11)
    scores = knn_classify(train, train_labels, test, 5, k=9,
                          temperature=0.07, batch_size=batch_size)
    ref = brute_force_scores(train, train_labels, test, 5, 9, 0.07)
    torch.testing.assert_close(scores.double(), ref, rtol=1e-4, atol=1e-4)


def test_top5_against_hand_computed_ranking():
    train, train_labels = random_set(4, 50, num_classes=8)
    test, test_labels = random_set(5, 30, num_classes=8)
    ref = brute_force_scores(train, train_labels, test, 8, 10, 0.1)
    order = ref.argsort(dim=1, descending=True)
    top1 = 100 * (order[:, 0] == test_labels).double().mean()
    top5 = 100 * (order[:, :5] == test_labels[:, None]).any(1).double().mean()
    acc = knn_accuracy(train, train_labels, test, 8, k=10, temperature=0.1,
                       test_labels=test_labels)
    assert acc['top1'] == pytest.approx(float(top1))
    assert acc['top5'] == pytest.approx(float(top5))
    assert acc['top5'] >= acc['top1']


def test_fewer_than_five_classes_gives_top5_100():
    train, train_labels = random_set(6, 20, num_classes=3)
    test, test_labels = random_set(7, 8, num_classes=3)
    acc = knn_accuracy(train, train_labels, test, 3, k=5,
                       test_labels=test_labels)
    assert acc['top5'] == 100.0


def test_leave_one_out_excludes_self():
    # two tight clusters; each point's nearest other point is in its cluster
    feats = torch.tensor([[1.0, 0.0], [0.99, 0.1], [0.98, -0.1],
                          [0.0, 1.0], [0.1, 0.99], [-0.1, 0.98]])
    labels = torch.tensor([0, 0, 0, 1, 1, 1])
    scores = knn_classify(feats, labels, feats, 2, k=1,
                          weighting='uniform', leave_one_out=True)
    # with itself excluded, the single neighbour is another cluster member
    assert scores.argmax(1).tolist() == labels.tolist()
    assert scores.sum(1).tolist() == [1.0] * 6
    # labels flipped on one point: LOO must not see its own (wrong) label
    wrong = labels.clone()
    wrong[0] = 1
    scores = knn_classify(feats, wrong, feats, 2, k=2,
                          weighting='uniform', leave_one_out=True)
    assert scores[0].tolist() == [2.0, 0.0]
    with pytest.raises(ValueError, match='same rows'):
        knn_classify(feats, labels, feats[:3], 2, leave_one_out=True)


def test_k_larger_than_bank_is_clipped_with_warning():
    train, train_labels = random_set(8, 6)
    test, _ = random_set(9, 2)
    with pytest.warns(UserWarning, match='larger than the gallery'):
        scores = knn_classify(train, train_labels, test, 5, k=200,
                              weighting='uniform')
    assert scores.sum(1).tolist() == [6.0, 6.0]


@pytest.mark.parametrize('kwargs, match', [
    (dict(temperature=0.0), 'temperature'),
    (dict(weighting='cosine'), 'weighting'),
    (dict(k=0), 'k must'),
    (dict(num_classes=2), r'train_labels must lie in \[0, 2\)'),
])
def test_bad_arguments_give_clear_errors(kwargs, match):
    train, train_labels = random_set(10, 10)
    test, _ = random_set(11, 3)
    args = dict(num_classes=5)
    args.update(kwargs)
    with pytest.raises(ValueError, match=match):
        knn_classify(train, train_labels, test, **args)
