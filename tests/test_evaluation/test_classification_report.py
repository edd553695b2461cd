"""Classification metrics (issue 9, protocol 5) against scikit-learn, and the
registered ``ClassificationReport`` as a Recognizer3D evaluator."""
import os.path as osp

import matplotlib.image
import numpy as np
import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.evaluator import Evaluator
from mmengine.logging import MessageHub
from mmengine.registry import DefaultScope
from mmengine.visualization import Visualizer
from sklearn import metrics as skm

from mmssl.evaluation.functional.classification import (
    classification_metrics, confusion_matrix, topk_accuracy)
from mmssl.evaluation.metrics.classification_report import \
    ClassificationReport
from mmssl.registry import METRICS, MODELS
from mmssl.utils import register_all_modules

FINETUNE_TINY = 'configs/benchmarks/finetune/r3d-tiny_finetune_synthmotion.py'


def sklearn_reference(scores, labels, ks=(1, 5)):
    num_classes = scores.shape[1]
    preds = scores.argmax(1)
    p, r, f, _ = skm.precision_recall_fscore_support(
        labels, preds, average='macro', zero_division=0)
    out = {
        f'top{k}': skm.top_k_accuracy_score(
            labels, scores, k=k, labels=np.arange(num_classes))
        for k in ks
    }
    out.update(
        mean_class_accuracy=skm.balanced_accuracy_score(labels, preds),
        macro_precision=p,
        macro_recall=r,
        macro_f1=f)
    cm = skm.confusion_matrix(labels, preds, labels=np.arange(num_classes))
    return out, cm


def random_case(seed, n=60, num_classes=7, missing_label=None,
                never_predicted=None):
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, num_classes, n)
    if missing_label is not None:  # a class never labelled ...
        labels[labels == missing_label] = (missing_label + 1) % num_classes
    scores = rng.random((n, num_classes)) + 0.8 * np.eye(num_classes)[labels]
    if never_predicted is not None:  # ... or never predicted
        scores[:, never_predicted] = -1.0
    return scores, labels


@pytest.mark.parametrize('seed,missing,never', [(0, None, None),
                                                (1, 2, None), (2, None, 4),
                                                (3, 0, 5), (4, 3, 3)])
def test_matches_scikit_learn(seed, missing, never):
    scores, labels = random_case(seed, missing_label=missing,
                                 never_predicted=never)
    got = classification_metrics(scores, labels, topk=(1, 5))
    expected, cm = sklearn_reference(scores, labels)
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-12), key
    np.testing.assert_array_equal(got['confusion_matrix'], cm)
    assert 0 < got['macro_f1'] < 1


def test_zero_division_and_predicted_only_class():
    """Class 2 is predicted but never labelled: precision 0, recall 0 (and
    it counts in the macro mean, as scikit-learn's default labels); class 1
    is labelled but never predicted: precision 0 (zero_division=0)."""
    scores = np.array([[.9, .1, 0.], [.8, .1, .1], [.1, .2, .7],
                       [.6, .3, .1]])
    labels = np.array([0, 0, 1, 1])
    got = classification_metrics(scores, labels, topk=(1, 2))
    # per class: P = (2/3, 0, 0), R = (1, 0, 0), F1 = (0.8, 0, 0)
    assert got['macro_precision'] == pytest.approx(2 / 9)
    assert got['macro_recall'] == pytest.approx(1 / 3)
    assert got['macro_f1'] == pytest.approx(0.8 / 3)
    assert got['mean_class_accuracy'] == pytest.approx(0.5)  # classes 0, 1
    assert got['top1'] == 0.5
    assert got['top2'] == 1.0  # row 3: class 1 is second
    np.testing.assert_array_equal(got['confusion_matrix'],
                                  [[2, 0, 0], [1, 0, 1], [0, 0, 0]])


def test_topk_and_confusion_matrix_helpers():
    scores = np.array([[0.1, 0.5, 0.4], [0.7, 0.2, 0.1]])
    assert topk_accuracy(scores, [2, 2], ks=(1, 2, 3)) == {
        1: 0.0, 2: 0.5, 3: 1.0}
    np.testing.assert_array_equal(
        confusion_matrix([1, 0], [2, 1], 3), [[0, 0, 0], [1, 0, 0],
                                              [0, 1, 0]])


@pytest.mark.parametrize('scores,labels,match', [
    (np.ones((3, )), [0, 1, 2], '2-D'),
    (np.ones((3, 4)), [0, 1], 'one per score row'),
    (np.ones((2, 4)), [0, 4], r'\[0, 3\]'),
    (np.full((2, 4), np.nan), [0, 1], 'NaN'),
])
def test_bad_input_is_named(scores, labels, match):
    with pytest.raises(ValueError, match=match):
        classification_metrics(scores, np.asarray(labels))


def _mmaction_samples(scores, labels):
    """MMAction2 1.1.0 recognizer outputs (``pred_scores``/``gt_labels``)."""
    samples = []
    for score, label in zip(scores, labels):
        sample = ActionDataSample().set_gt_labels(torch.tensor([int(label)]))
        sample.set_pred_score(torch.as_tensor(score, dtype=torch.float32))
        samples.append(sample)
    return samples


def test_registered_metric_matches_sklearn_and_writes_png(tmp_path):
    MessageHub.get_instance('test_cls_report_no_epoch')  # no runner epoch
    scores, labels = random_case(7, n=40, num_classes=5)
    evaluator = Evaluator(
        METRICS.build(
            dict(type='ClassificationReport', out_dir=str(tmp_path),
                 class_names=list('abcde'))))
    samples = _mmaction_samples(scores, labels)
    evaluator.process(samples[:25])
    evaluator.process(samples[25:])
    got = evaluator.evaluate(len(samples))
    expected, cm = sklearn_reference(scores.astype(np.float32), labels)
    assert got == pytest.approx(
        {f'cls/{k}': v for k, v in expected.items()}, abs=1e-9)
    png = tmp_path / 'confusion_matrix_1.png'
    assert matplotlib.image.imread(str(png)).shape[2] in (3, 4)
    with open(tmp_path / 'confusion_matrix_1.json') as f:
        assert np.array_equal(np.array(__import__('json').load(f)[
            'confusion_matrix']), cm)


def test_without_out_dir_the_png_goes_to_the_visualizer(tmp_path):
    """In a runner: named after the epochs trained (the message hub holds
    the 0-based epoch during validation)."""
    MessageHub.get_instance('test_cls_report_epoch').update_info('epoch', 4)
    Visualizer.get_instance(
        'test_cls_report',
        vis_backends=[dict(type='LocalVisBackend')],
        save_dir=str(tmp_path))
    metric = ClassificationReport()
    scores, labels = random_case(8, n=12, num_classes=4)
    metric.process(None, [s.to_dict() for s in
                          _mmaction_samples(scores, labels)])
    metric.evaluate(12)
    assert osp.isfile(
        tmp_path / 'vis_data' / 'vis_image' / 'confusion_matrix_5.png')


def test_evaluates_a_recognizer3d(repo_root, tmp_path):
    """The tiny fine-tune config lists the metric; its Recognizer3D's
    test_step outputs go straight in (MMAction2 1.1.0 data samples)."""
    register_all_modules(init_default_scope=False)
    cfg = Config.fromfile(osp.join(repo_root, FINETUNE_TINY))
    assert dict(type='ClassificationReport') in cfg.val_evaluator
    with DefaultScope.overwrite_default_scope('mmssl'):
        model = MODELS.build(cfg.model).eval()
    torch.manual_seed(0)
    labels = [0, 3, 7, 3]
    batch = dict(
        inputs=[torch.randint(0, 255, (1, 3, 8, 32, 32), dtype=torch.uint8)
                for _ in labels],
        data_samples=[
            ActionDataSample().set_gt_labels(torch.tensor([y]))
            for y in labels
        ])
    with torch.no_grad():
        outputs = model.test_step(batch)
    metric = ClassificationReport(out_dir=str(tmp_path))
    metric.process(batch, [o.to_dict() for o in outputs])
    got = metric.evaluate(len(labels))
    scores = np.stack([o.pred_scores.item.numpy() for o in outputs])
    expected, _ = sklearn_reference(scores, np.array(labels))
    assert got == pytest.approx({f'cls/{k}': v
                                 for k, v in expected.items()})
    assert metric.last_report['confusion_matrix'].shape == (8, 8)
