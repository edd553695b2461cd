"""Top-k / mean-class accuracy, macro P/R/F1 and a confusion-matrix PNG as
one MMEngine metric for MMAction2 recognizers."""
import json
import os
import os.path as osp
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import MessageHub, print_log
from mmengine.structures import BaseDataElement, LabelData
from mmengine.visualization import Visualizer

from mmssl.evaluation.functional.classification import classification_metrics
from mmssl.registry import METRICS

__all__ = ['ClassificationReport', 'render_confusion_matrix']


def _tensor(value) -> torch.Tensor:
    if isinstance(value, LabelData):
        value = value.item
    elif isinstance(value, dict):
        value = value['item']
    return torch.as_tensor(
        np.asarray(value) if isinstance(value, (list, tuple)) else value)


def render_confusion_matrix(cm: np.ndarray,
                            class_names: Optional[Sequence[str]] = None,
                            title: str = 'confusion matrix') -> np.ndarray:
    """Draw a row-normalised confusion matrix with matplotlib (Agg).

    Args:
        cm (np.ndarray): ``(C, C)`` counts, rows true, columns predicted.
        class_names (Sequence[str], optional): Tick labels (shown up to 50
            classes; indices otherwise).
        title (str): Figure title.

    Returns:
        np.ndarray: ``(H, W, 3)`` uint8 RGB image.
    """
    import matplotlib
    matplotlib.use('Agg', force=False)
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    num_classes = cm.shape[0]
    rows = cm.sum(axis=1, keepdims=True)
    norm = np.divide(cm, rows, out=np.zeros(cm.shape), where=rows > 0)
    size = min(4 + 0.25 * num_classes, 30)
    fig = Figure(figsize=(size, size), dpi=100)
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_subplot(111)
    image = ax.imshow(norm, cmap='Blues', vmin=0, vmax=1)
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    ax.set(xlabel='predicted class', ylabel='true class',
           title=f'{title} (rows normalised)')
    if num_classes <= 50:
        names = list(class_names) if class_names else list(
            map(str, range(num_classes)))
        ax.set_xticks(range(num_classes), names, rotation=90, fontsize=7)
        ax.set_yticks(range(num_classes), names, fontsize=7)
    if num_classes <= 20:
        for (i, j), count in np.ndenumerate(cm):
            ax.text(j, i, str(count), ha='center', va='center', fontsize=7,
                    color='white' if norm[i, j] > 0.5 else 'black')
    fig.tight_layout()
    canvas.draw()
    return np.asarray(canvas.buffer_rgba())[..., :3].copy()


@METRICS.register_module()
class ClassificationReport(BaseMetric):
    """Video classification report (issue 9, protocol 5).

    Computes, with :func:`mmssl.evaluation.functional.classification_metrics`
    (definitions, averaging and ``zero_division`` there): ``top{k}`` for each
    ``k`` in ``topk``, ``mean_class_accuracy``, ``macro_precision``,
    ``macro_recall`` and ``macro_f1`` (fractions), and draws the confusion
    matrix. A drop-in ``val_evaluator`` / ``test_evaluator`` for an
    MMAction2 ``Recognizer3D``: each data sample carries ``pred_scores.item``
    ``(C,)`` and ``gt_labels.item`` ``(1,)`` (MMAction2 1.1.0, as read by
    its ``AccMetric``), or ``pred_score`` / ``gt_label`` (MMAction2 >= 1.2).

    The confusion matrix is written as ``confusion_matrix_<step>.png`` and
    ``.json`` (counts) to ``out_dir`` if given, otherwise through the
    current MMEngine ``Visualizer`` (``add_image``): a runner's
    ``LocalVisBackend`` stores it under ``<work_dir>/<timestamp>/vis_data/
    vis_image/`` and TensorBoard shows it. ``<step>`` is the number of
    training epochs completed (as in ``epoch_<n>.pth``) in a training run,
    otherwise the number of evaluations so far.

    Args:
        topk (Sequence[int]): Top-k cut-offs. Defaults to ``(1, 5)``.
        class_names (Sequence[str], optional): Confusion-matrix tick labels.
        out_dir (str, optional): Folder for the PNG/JSON instead of the
            visualizer.
        plot_confusion_matrix (bool): Draw the PNG. Defaults to True.
        collect_device (str): ``'cpu'`` or ``'gpu'``.
        prefix (str, optional): Defaults to ``'cls'``.
        collect_dir (str, optional): See ``BaseMetric``.
    """
    default_prefix: Optional[str] = 'cls'

    def __init__(self,
                 topk: Sequence[int] = (1, 5),
                 class_names: Optional[Sequence[str]] = None,
                 out_dir: Optional[str] = None,
                 plot_confusion_matrix: bool = True,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 collect_dir: Optional[str] = None) -> None:
        super().__init__(
            collect_device=collect_device,
            prefix=prefix,
            collect_dir=collect_dir)
        topk = (topk, ) if isinstance(topk, int) else tuple(topk)
        if not topk or any(not isinstance(k, int) or isinstance(k, bool)
                           or k < 1 for k in topk):
            raise ValueError(f'topk must be positive ints, got {topk!r}')
        self.topk = topk
        self.class_names = list(class_names) if class_names else None
        self.out_dir = out_dir
        self.plot_confusion_matrix = plot_confusion_matrix
        self.num_evaluations = 0
        self.last_report: Optional[dict] = None
        self.last_png: Optional[str] = None

    def process(self, data_batch: Any, data_samples: Sequence) -> None:
        """Store each sample's class scores and label (cpu).

        Args:
            data_batch (Any): Unused.
            data_samples (Sequence[dict | BaseDataElement]): Outputs of a
                recognizer's ``test_step``.
        """
        for sample in data_samples:
            if isinstance(sample, BaseDataElement):
                sample = sample.to_dict()
            score_key = next((k for k in ('pred_scores', 'pred_score')
                              if k in sample), None)
            label_key = next((k for k in ('gt_labels', 'gt_label')
                              if k in sample), None)
            if score_key is None or label_key is None:
                raise KeyError(
                    'ClassificationReport: a data sample needs class scores '
                    "('pred_scores' or 'pred_score') and a label "
                    "('gt_labels' or 'gt_label'); it has "
                    f'{sorted(sample)}')
            scores = _tensor(sample[score_key]).detach().cpu().float()
            label = _tensor(sample[label_key])
            if scores.dim() != 1 or label.numel() != 1:
                raise ValueError(
                    'ClassificationReport: expects one score vector (C,) and '
                    'one class per video, got scores '
                    f'{tuple(scores.shape)} and label {tuple(label.shape)}')
            self.results.append(
                dict(scores=scores.numpy(), label=int(label.item())))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Metrics of all collected samples; writes the confusion matrix.

        Args:
            results (list[dict]): Collected ``process`` outputs.

        Returns:
            dict[str, float]: ``top1``, ``top5``, ``mean_class_accuracy``,
            ``macro_precision``, ``macro_recall``, ``macro_f1``.
        """
        if not results:
            raise ValueError('ClassificationReport: no samples to evaluate')
        widths = {r['scores'].shape[0] for r in results}
        if len(widths) > 1:
            raise ValueError('ClassificationReport: score vectors of '
                             f'different lengths {sorted(widths)}')
        report = classification_metrics(
            np.stack([r['scores'] for r in results]),
            np.array([r['label'] for r in results]), self.topk)
        self.last_report = report
        self.num_evaluations += 1
        if self.plot_confusion_matrix:
            self._write_confusion_matrix(report['confusion_matrix'])
        return {
            k: v
            for k, v in report.items()
            if k not in ('confusion_matrix', 'per_class')
        }

    def _step(self) -> int:
        # during validation the message hub still holds the 0-based index
        # of the epoch just trained; +1 matches epoch_<n>.pth and the log
        epoch = MessageHub.get_current_instance().get_info('epoch')
        return int(epoch) + 1 if epoch is not None else self.num_evaluations

    def _write_confusion_matrix(self, cm: np.ndarray) -> None:
        name = f'confusion_matrix_{self._step()}'
        image = render_confusion_matrix(cm, self.class_names)
        if self.out_dir:
            os.makedirs(self.out_dir, exist_ok=True)
            path = osp.join(self.out_dir, f'{name}.png')
            import matplotlib.image
            matplotlib.image.imsave(path, image)
            with open(osp.join(self.out_dir, f'{name}.json'), 'w') as f:
                json.dump(
                    dict(confusion_matrix=cm.tolist(),
                         class_names=self.class_names,
                         rows='true class', columns='predicted class'), f)
            self.last_png = path
            print_log(f'ClassificationReport: confusion matrix -> {path}',
                      logger='current')
            return
        self.last_png = None
        try:
            visualizer = Visualizer.get_current_instance()
        except RuntimeError:  # no runner / visualizer: nowhere to write
            print_log(
                'ClassificationReport: no visualizer and no out_dir; the '
                'confusion matrix is not written', logger='current')
            return
        visualizer.add_image('confusion_matrix', image, step=self._step())
