"""Video retrieval Recall@k as an MMEngine metric."""
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log
from mmengine.structures import BaseDataElement, LabelData

from mmssl.evaluation.functional.feature_checks import check_ks
from mmssl.evaluation.functional.retrieval import retrieval_recall_per_class
from mmssl.evaluation.functional.retrieval_faiss import (check_backend,
                                                         import_faiss)
from mmssl.registry import METRICS

__all__ = ['RetrievalMetric', 'per_clip_field']

#: Retrieval units: one row per video (clip-averaged feature) or per clip.
LEVELS = ('video', 'clip')


def per_clip_field(feature_key: str) -> str:
    """Data-sample field of the per-clip features behind ``feature_key``
    (``'feats'`` -> ``'feats_per_clip'``, ``(V, D)``), set by
    ``BaseSSLAlgorithm.predict`` when ``keep_clip_features`` is True."""
    return f'{feature_key}_per_clip'


@METRICS.register_module()
class RetrievalMetric(BaseMetric):
    """Nearest-neighbour retrieval Recall@k (Xu et al., CVPR 2019).

    One evaluation pass covers gallery and query videos together (e.g. a
    ``ConcatDataset`` of the train and test lists); each data sample says
    which set it belongs to through the metainfo key ``split_key``. See
    :func:`mmssl.evaluation.functional.retrieval_recall` and
    ``docs/protocols/retrieval.md``.

    Each data sample (``ActionDataSample`` or its ``to_dict()`` form) must
    carry:

    - ``<feature_key>``: 1-D tensor, the video's clip-averaged feature;
    - the label: ``gt_labels.item`` (MMAction2 1.x), or a ``gt_label`` key;
      a single non-negative class index;
    - ``<split_key>`` in the metainfo: ``gallery_split`` or ``query_split``;
    - for a ``'clip'`` level: ``<feature_key>_per_clip``, ``(V, D)``, the
      features of the ``V`` clips before averaging (``BaseSSLAlgorithm``
      with ``keep_clip_features = True``; ``tools/analysis_tools/
      retrieval.py`` sets it).

    Clip-level retrieval: with ``query_level='clip'`` every clip of a query
    video is a query of its own (labelled with its video's class) and R@k is
    the fraction of query *clips*; with ``gallery_level='clip'`` every clip
    of a gallery video is a gallery item, so ``k`` counts clips (several
    may come from one video). VCOP's released ``retrieve_clips.py``
    retrieves clips against clips this way.

    Args:
        ks (Sequence[int]): Recall cut-offs. Defaults to ``(1, 5, 10, 20)``.
        batch_size (int): Chunk size of the retrieval search.
            Defaults to 1024.
        feature_key (str): Data-sample field holding the video feature.
            ``'feats'`` (default): 3-D average-pooled last-stage features,
            ``(C,)`` (VCOP, Xu et al. CVPR 2019, Sec. 4.4, and most later
            papers). ``'time_feats'``: spatially pooled with the time axis
            kept and flattened, ``(C * T',)``, as TCLR's released
            ``nn_retrieval`` and STCLR (Sec. 4.2.2) retrieve. Both are set
            by ``BaseSSLAlgorithm.predict``; see
            :mod:`mmssl.models.utils.feature_pooling`.
        split_key (str): Metainfo key naming the set. Defaults to
            ``'retrieval_split'``.
        gallery_split (str): Value of ``split_key`` for gallery videos.
            Defaults to ``'train'``.
        query_split (str): Value of ``split_key`` for query videos.
            Defaults to ``'test'``.
        query_level (str): ``'video'`` (default) or ``'clip'``.
        gallery_level (str): ``'video'`` (default) or ``'clip'``.
        center (bool): Subtract the gallery mean from gallery and query
            features before the search. Defaults to False.
        l2_normalize (bool): Cosine similarity (True, default) or Euclidean
            distance of the raw (centred) features (False).
        backend (str): Search backend: ``'torch'`` (default, exact) or
            ``'faiss'`` (optional package ``faiss-cpu``; float32, see
            :mod:`mmssl.evaluation.functional.retrieval_faiss`).
        collect_device (str): ``'cpu'`` or ``'gpu'``, see ``BaseMetric``.
        prefix (str, optional): Metric name prefix; ``'retrieval'`` if None.
        collect_dir (str, optional): See ``BaseMetric``.

    ``evaluate`` returns ``{'retrieval/R@1': r1, 'retrieval/R@5': r5, ...}``,
    fractions in ``[0, 1]`` like MMAction2's ``AccMetric``; the last
    evaluation's per-class recall and counts are kept in ``last_report``.
    """
    default_prefix: Optional[str] = 'retrieval'

    def __init__(self,
                 ks: Sequence[int] = (1, 5, 10, 20),
                 batch_size: int = 1024,
                 feature_key: str = 'feats',
                 split_key: str = 'retrieval_split',
                 gallery_split: str = 'train',
                 query_split: str = 'test',
                 query_level: str = 'video',
                 gallery_level: str = 'video',
                 center: bool = False,
                 l2_normalize: bool = True,
                 backend: str = 'torch',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None,
                 collect_dir: Optional[str] = None) -> None:
        super().__init__(
            collect_device=collect_device,
            prefix=prefix,
            collect_dir=collect_dir)
        ks = check_ks(ks)
        if not isinstance(feature_key, str) or not feature_key:
            raise ValueError('feature_key must be a non-empty str (e.g. '
                             f"'feats' or 'time_feats'), got {feature_key!r}")
        if gallery_split == query_split:
            raise ValueError(f'gallery_split and query_split must differ, '
                             f'both are {gallery_split!r}')
        for name, level in (('query_level', query_level),
                            ('gallery_level', gallery_level)):
            if level not in LEVELS:
                raise ValueError(f'{name} must be one of {LEVELS}, got '
                                 f'{level!r}')
        self.ks = ks
        self.query_level = query_level
        self.gallery_level = gallery_level
        self.center = bool(center)
        self.l2_normalize = bool(l2_normalize)
        if check_backend(backend) == 'faiss':
            import_faiss()  # fail before the features are extracted
        self.backend = backend
        self.last_report: Optional[dict] = None
        self.batch_size = batch_size
        self.feature_key = feature_key
        self.split_key = split_key
        self.gallery_split = gallery_split
        self.query_split = query_split

    def _label(self, sample: dict) -> int:
        if 'gt_labels' in sample:
            label = sample['gt_labels']
            if isinstance(label, LabelData):
                label = label.item
            elif isinstance(label, dict):
                label = label['item']
        elif 'gt_label' in sample:
            label = sample['gt_label']
        else:
            raise KeyError('RetrievalMetric: data sample has no label '
                           "('gt_labels.item' or 'gt_label')")
        label = torch.as_tensor(np.asarray(label) if isinstance(
            label, (list, tuple)) else label)
        if label.numel() != 1:
            raise ValueError('RetrievalMetric needs one class per video, got '
                             f'label of shape {tuple(label.shape)}')
        label = int(label.reshape(()).item())
        if label < 0:
            raise ValueError(
                f'RetrievalMetric: label {label} (unlabelled video?); '
                'retrieval needs a class index for every video')
        return label

    def process(self, data_batch: Any, data_samples: Sequence) -> None:
        """Store the ``feature_key`` feature (cpu), label and split of every
        sample.

        Args:
            data_batch (Any): Unused.
            data_samples (Sequence[dict | BaseDataElement]): Outputs of
                ``model.test_step``.
        """
        for sample in data_samples:
            if isinstance(sample, BaseDataElement):
                sample = sample.to_dict()
            key = self.feature_key
            if key not in sample:
                features = sorted(k for k in sample if 'feats' in k)
                raise KeyError(
                    f'RetrievalMetric: data sample has no {key!r} (it has '
                    f'{features}); the model\'s test_step must return a 1-D '
                    'clip-averaged feature per video under that name '
                    "('time_feats' needs a backbone with a (N, C, T, H, W) "
                    'feature map and the base pooled_features)')
            feats = torch.as_tensor(sample[key]).detach().cpu()
            if feats.dim() != 1:
                raise ValueError(
                    f'RetrievalMetric: {key!r} must be 1-D (D,), got shape '
                    f'{tuple(feats.shape)}; average the clips of a video in '
                    'the model')
            if self.split_key not in sample:
                raise KeyError(
                    f'RetrievalMetric: data sample has no metainfo key '
                    f'{self.split_key!r}; the dataset must set it and the '
                    'packing transform must copy it to the metainfo')
            split = sample[self.split_key]
            if split not in (self.gallery_split, self.query_split):
                raise ValueError(
                    f'RetrievalMetric: {self.split_key}={split!r}, expected '
                    f'{self.gallery_split!r} (gallery) or '
                    f'{self.query_split!r} (query)')
            level = (self.gallery_level
                     if split == self.gallery_split else self.query_level)
            if level == 'clip':
                feats = self._clip_features(sample)
            self.results.append(
                dict(feats=feats, label=self._label(sample), split=split))

    def _clip_features(self, sample: dict) -> torch.Tensor:
        """``(V, D)`` per-clip features of a sample (clip-level retrieval)."""
        field = per_clip_field(self.feature_key)
        if field not in sample:
            raise KeyError(
                f'RetrievalMetric: clip-level retrieval needs {field!r} in '
                'each data sample; set keep_clip_features = True on the '
                'BaseSSLAlgorithm (tools/analysis_tools/retrieval.py does '
                'this for --query-level/--gallery-level clip)')
        feats = torch.as_tensor(sample[field]).detach().cpu()
        if feats.dim() != 2:
            raise ValueError(f'RetrievalMetric: {field!r} must be 2-D (V, D), '
                             f'got shape {tuple(feats.shape)}')
        return feats

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Split into gallery / query and compute Recall@k.

        Args:
            results (list[dict]): Collected ``process`` outputs.

        Returns:
            dict[str, float]: ``{'R@k': recall}`` for every ``k`` in ``ks``.
        """
        sets = {}
        for name, role in ((self.gallery_split, 'gallery'),
                           (self.query_split, 'query')):
            items = [r for r in results if r['split'] == name]
            if not items:
                raise ValueError(
                    f'RetrievalMetric: no {role} videos '
                    f'({self.split_key}={name!r}) among {len(results)} '
                    'evaluated samples')
            dims = {r['feats'].shape[-1] for r in items}
            if len(dims) > 1:
                raise ValueError(f'RetrievalMetric: {role} features have '
                                 f'different dimensions {sorted(dims)}')
            rows = [r['feats'].reshape(-1, r['feats'].shape[-1])
                    for r in items]
            sets[role] = (torch.cat(rows),
                          torch.tensor([r['label'] for r in items
                                        ]).repeat_interleave(
                                            torch.tensor([len(x)
                                                          for x in rows])))
        print_log(
            f'RetrievalMetric: {len(sets["gallery"][1])} gallery '
            f'({self.gallery_split!r}, {self.gallery_level}s) and '
            f'{len(sets["query"][1])} query ({self.query_split!r}, '
            f'{self.query_level}s) items',
            logger='current')
        report = retrieval_recall_per_class(
            *sets['gallery'],
            *sets['query'],
            ks=self.ks,
            batch_size=self.batch_size,
            center=self.center,
            l2_normalize=self.l2_normalize,
            backend=self.backend)
        report.update(
            num_gallery_items=len(sets['gallery'][1]),
            num_query_items=len(sets['query'][1]))
        self.last_report = report
        return {f'R@{k}': v for k, v in report['recall'].items()}
