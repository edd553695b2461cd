"""k-NN accuracy, retrieval R@1 and collapse statistics during pretraining."""
import copy
import random
import time
from typing import Dict, Optional

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dist import broadcast_object_list, collect_results, get_rank
from mmengine.hooks import Hook
from mmengine.runner import Runner
from torch.utils.data import Subset

from mmssl.evaluation.functional import (embedding_stats, knn_accuracy,
                                         retrieval_recall)
from mmssl.evaluation.metrics import RetrievalMetric
from mmssl.evaluation.protocol_config import set_num_clips
from mmssl.registry import DATASETS, HOOKS


def _rng_state() -> dict:
    state = dict(
        python=random.getstate(),
        numpy=np.random.get_state(),
        torch=torch.get_rng_state())
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        state['cuda'] = torch.cuda.get_rng_state_all()
    return state


def _set_rng_state(state: dict) -> None:
    random.setstate(state['python'])
    np.random.set_state(state['numpy'])
    torch.set_rng_state(state['torch'])
    if 'cuda' in state:
        torch.cuda.set_rng_state_all(state['cuda'])


def evenly_spaced(n: int, max_items: Optional[int]) -> list:
    """``min(n, max_items)`` indices spread evenly over ``range(n)``."""
    if max_items is None or max_items >= n:
        return list(range(n))
    return [int(i * n // max_items) for i in range(max_items)]


@HOOKS.register_module()
class RepresentationMonitorHook(Hook):
    """Online health check of the representation while pretraining.

    Every ``interval`` epochs (and before the first epoch with
    ``monitor_at_start``) the hook embeds a small labelled video subset with
    the model's ``'predict'`` features (clip-averaged ``feature_key``,
    ``mmssl/models/algorithms/base.py``) and logs

    - ``monitor/knn_top1``, ``monitor/knn_top5``: weighted k-NN
      (:func:`knn_accuracy`, Wu et al. 2018) of the query videos with the
      gallery videos as memory bank;
    - ``monitor/retrieval_R@1``: nearest-neighbour retrieval Recall@1
      (Xu et al. 2019) of the same query and gallery videos;
    - ``monitor/std_mean``, ``monitor/std_min``, ``monitor/effective_rank``
      (:func:`embedding_stats`) of all monitored embeddings, and
      ``monitor/std_reference`` (``1 / sqrt(D)``);
    - ``monitor/seconds``: the cost of the check,

    to the text log, the message hub and the visualizer (``scalars.json``
    with ``step`` = epoch, TensorBoard). Gallery and query are told apart
    by the ``retrieval_split`` metainfo every mmssl dataset config's
    retrieval ``test_dataloader`` sets (``'train'`` / ``'test'``), parsed
    by :class:`RetrievalMetric`.

    Under DDP every rank embeds its share of the subset (a non-shuffling
    ``DefaultSampler``), ``collect_results`` gathers them in dataset order
    on rank 0, rank 0 computes and broadcasts the numbers, so all ranks log
    the same values. The model's train/eval mode and the ``random`` /
    NumPy / torch (and CUDA) generator states are restored afterwards, so
    training continues exactly as without the hook; BatchNorm statistics
    are untouched (eval mode, no gradients).

    Args:
        interval (int): Check every ``interval`` epochs (and after the last
            epoch). Defaults to 1.
        monitor_at_start (bool): Also check before the first epoch (step 0:
            the initialisation). Defaults to True.
        dataloader (dict, optional): Loader config of the monitored videos;
            defaults to the run config's ``test_dataloader`` (the retrieval
            loader: gallery = train list, queries = val list).
        max_videos (int, optional): Evenly spaced subset of at most this
            many videos of the loader's dataset (keeps the train/val mix of
            a concatenated dataset). Defaults to 256.
        num_clips (int, optional): Clips per video of the loader's
            test-mode sampler (the retrieval protocol's 10 cost 10
            forward passes per video; a monitor needs fewer).
        num_workers (int, optional): Overrides the loader's workers.
        batch_size (int, optional): Overrides the loader's batch size.
        k (int): k-NN neighbours. Defaults to 20 (DINO's small-k setting;
            the monitored gallery is small).
        temperature (float): k-NN temperature. Defaults to 0.07.
        feature_key (str): ``'feats'`` or ``'time_feats'``.
    """

    priority = 'LOW'

    def __init__(self,
                 interval: int = 1,
                 monitor_at_start: bool = True,
                 dataloader: Optional[dict] = None,
                 max_videos: Optional[int] = 256,
                 num_clips: Optional[int] = None,
                 num_workers: Optional[int] = None,
                 batch_size: Optional[int] = None,
                 k: int = 20,
                 temperature: float = 0.07,
                 feature_key: str = 'feats') -> None:
        if not isinstance(interval, int) or interval < 1:
            raise ValueError(f'interval must be a positive int, got '
                             f'{interval!r}')
        if max_videos is not None and max_videos < 2:
            raise ValueError(f'max_videos must be >= 2, got {max_videos!r}')
        self.interval = interval
        self.monitor_at_start = monitor_at_start
        self.dataloader_cfg = dataloader
        self.max_videos = max_videos
        self.num_clips = num_clips
        self.num_workers = num_workers
        self.batch_size = batch_size
        self.k = k
        self.temperature = temperature
        self.feature_key = feature_key
        self._loader = None

    def _build_loader(self, runner) -> torch.utils.data.DataLoader:
        cfg = self.dataloader_cfg or runner.cfg.get('test_dataloader')
        if not cfg:
            raise ValueError('RepresentationMonitorHook: no dataloader given '
                             'and the config has no test_dataloader')
        cfg = copy.deepcopy(dict(cfg))
        if self.num_clips is not None:
            if not isinstance(cfg.get('dataset'), dict):
                raise ValueError('RepresentationMonitorHook: num_clips needs '
                                 'a dataset config (dict), not a dataset')
            work = Config(dict(test_dataloader=cfg))
            set_num_clips(work, self.num_clips)
            cfg = work.test_dataloader.to_dict()
        for key, value in (('num_workers', self.num_workers),
                           ('batch_size', self.batch_size)):
            if value is not None:
                cfg[key] = value
        if not cfg.get('num_workers'):
            cfg['persistent_workers'] = False
        dataset = cfg['dataset']
        if isinstance(dataset, dict):
            dataset = DATASETS.build(dataset)
        self._size = len(dataset)
        indices = evenly_spaced(self._size, self.max_videos)
        if len(indices) < self._size:
            dataset = Subset(dataset, indices)
            self._size = len(indices)
        cfg['dataset'] = dataset
        cfg['sampler'] = dict(type='DefaultSampler', shuffle=False)
        # an explicit seed: DefaultSampler would otherwise draw one
        return Runner.build_dataloader(cfg, seed=runner.seed)

    def before_train(self, runner) -> None:
        """Check the initial representation (fresh runs only)."""
        if self.monitor_at_start and runner.epoch == 0 and runner.iter == 0:
            self.monitor(runner, step=0)

    def after_train_epoch(self, runner) -> None:
        """Check every ``interval`` epochs and after the last one."""
        epoch = runner.epoch + 1
        if epoch % self.interval == 0 or epoch == runner.max_epochs:
            self.monitor(runner, step=epoch)

    def monitor(self, runner, step: int) -> Dict[str, float]:
        """Embed the subset, compute and log the statistics.

        Args:
            runner (Runner): The training runner.
            step (int): Epoch number used as the scalars' step.

        Returns:
            dict: The logged scalars (same on every rank).
        """
        start = time.perf_counter()
        rng = _rng_state()
        model = runner.model
        was_training = model.training
        try:
            if self._loader is None:
                self._loader = self._build_loader(runner)
            metric = RetrievalMetric(feature_key=self.feature_key)
            model.eval()
            with torch.no_grad():
                for batch in self._loader:
                    metric.process(batch, model.test_step(batch))
            results = collect_results(metric.results, self._size)
            scalars = [None]
            if get_rank() == 0:
                try:
                    scalars = [self._compute(results, metric)]
                except ValueError as error:  # raised on every rank below
                    scalars = [error]
            broadcast_object_list(scalars)
            scalars = scalars[0]
            if isinstance(scalars, Exception):
                raise scalars
        finally:
            model.train(was_training)
            _set_rng_state(rng)
        scalars['monitor/seconds'] = time.perf_counter() - start
        for name, value in scalars.items():
            runner.message_hub.update_scalar(name, value)
        runner.visualizer.add_scalars(scalars, step=step)
        runner.logger.info(f'RepresentationMonitorHook (epoch {step}): ' +
                           ', '.join(f'{name.split("/")[1]}={value:.4g}'
                                     for name, value in scalars.items()))
        return scalars

    def _compute(self, results: list, metric: RetrievalMetric) -> dict:
        """Scalars of the gathered ``RetrievalMetric`` results (rank 0)."""
        sets = {}
        for split in (metric.gallery_split, metric.query_split):
            items = [r for r in results if r['split'] == split]
            if not items:
                raise ValueError(
                    f'RepresentationMonitorHook: no videos with '
                    f'{metric.split_key}={split!r} among the {len(results)} '
                    'monitored ones; the loader must hold a gallery '
                    "('train') and a query ('test') split, e.g. the "
                    'retrieval test_dataloader of configs/_base_/datasets')
            sets[split] = (torch.stack([r['feats'] for r in items]),
                           torch.tensor([r['label'] for r in items]))
        (bank, bank_labels), (query, query_labels) = (
            sets[metric.gallery_split], sets[metric.query_split])
        num_classes = int(torch.cat([bank_labels, query_labels]).max()) + 1
        knn = knn_accuracy(bank, bank_labels, query, num_classes,
                           k=min(self.k, len(bank)),
                           temperature=self.temperature,
                           test_labels=query_labels)
        recall = retrieval_recall(bank, bank_labels, query, query_labels,
                                  ks=(1, ))
        stats = embedding_stats(torch.cat([bank, query]))
        scalars = {'monitor/knn_top1': knn['top1'],
                   'monitor/knn_top5': knn['top5'],
                   'monitor/retrieval_R@1': 100.0 * recall[1]}
        scalars.update({f'monitor/{k}': v for k, v in stats.items()})
        return scalars
