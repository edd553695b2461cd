"""One command from a checkpoint to a report: the chosen protocols with
their default settings for the dataset the config names.

``tools/analysis_tools/evaluate.py`` is the command line; this module does
the work (docs/protocols/README.md):

1. the evaluation dataset and split come from the config's retrieval test
   loader (:func:`~.defaults.evaluation_dataset`), the protocol settings
   from :data:`~.defaults.PROTOCOL_DEFAULTS`; every requested protocol is
   checked (known, available, has a default here) before any work starts;
2. retrieval, k-NN and linear probe share ONE feature extraction (the
   feature cache in ``WORK_DIR/features``, through the config's retrieval
   test pipeline; train split = gallery / memory bank / probe training set,
   val split = queries / test set);
3. fine-tuning runs ``tools/train.py`` + ``tools/test.py`` as subprocesses
   with the dataset's fine-tune config (:mod:`.finetune`);
4. ``WORK_DIR/evaluation.json`` and ``evaluation.md`` name the config and
   checkpoint with their sha256 and hold one table (:mod:`.report`).

``checkpoint=None`` (``none`` on the command line) evaluates a randomly
initialised backbone seeded by ``seed`` (fine-tuning then trains from
scratch): the baseline row.
"""
import importlib
import os.path as osp
import time
from typing import Callable, Dict, List, Optional

import torch
from mmengine.config import Config

from mmssl.evaluation.cache_identity import config_sha256, file_sha256
from mmssl.utils.config_overrides import apply_overrides
from .cached_protocols import (cached_knn, cached_linear_probe,
                               cached_retrieval)
from .defaults import (EvaluationError, evaluation_dataset,
                       finetune_config_for, protocol_settings)
from .finetune import check_backbone_fits, run_finetune
from .report import table_rows, write_report

__all__ = ['PROTOCOLS', 'parse_protocols', 'evaluate_checkpoint']

PROTOCOLS = ('retrieval', 'knn', 'linear', 'finetune')
CACHED_PROTOCOLS = ('retrieval', 'knn', 'linear')
# module each protocol needs (evaluate.py refuses it while one is missing)
_REQUIRES = {
    'retrieval': ('mmssl.evaluation.feature_cache', ),
    'knn': ('mmssl.evaluation.feature_cache',
            'mmssl.evaluation.functional.knn'),
    'linear': ('mmssl.evaluation.feature_cache',
               'mmssl.evaluation.functional.linear_probe'),
    'finetune': (),
}
REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))


def parse_protocols(protocols) -> List[str]:
    """``'retrieval,knn'`` or a sequence -> validated list, order kept.

    Raises:
        EvaluationError: An unknown or repeated protocol, or none at all.
    """
    if isinstance(protocols, str):
        protocols = [p.strip() for p in protocols.split(',') if p.strip()]
    protocols = list(protocols)
    unknown = [p for p in protocols if p not in PROTOCOLS]
    if unknown or not protocols or len(set(protocols)) != len(protocols):
        raise EvaluationError(
            f'--protocols {",".join(protocols)!r}: '
            + (f'unknown {unknown}; ' if unknown else '') +
            f'choose distinct ones from {",".join(PROTOCOLS)}')
    return protocols


def _check_available(protocol: str) -> None:
    for module in _REQUIRES[protocol]:
        try:
            importlib.import_module(module)
        except ImportError as error:
            raise EvaluationError(
                f'protocol {protocol!r} is not available in this install '
                f'({module}: {error})') from error


def _num_classes(dataset: str, *label_sets: torch.Tensor) -> int:
    try:
        from mmssl.datasets.dataset_info import DATASETS
        return int(DATASETS[dataset]['num_classes'])
    except (ImportError, KeyError):
        return int(max(int(labels.max()) for labels in label_sets)) + 1


def _retrieval_metric(cfg: Config) -> dict:
    """The config's ``RetrievalMetric`` settings (``{}`` if it has none)."""
    evaluator = cfg.get('test_evaluator') or []
    entries = evaluator if isinstance(evaluator, (list, tuple)) else [
        evaluator
    ]
    return next((dict(e) for e in entries
                 if e.get('type') == 'RetrievalMetric'), {})


def _cached_features(cfg: Config, checkpoint: Optional[str], cache_dir: str,
                     feature: str, seed: int) -> tuple:
    """Extract the train and val features once, then read them back
    (checked against this config and checkpoint).

    Returns:
        tuple: ``(train_feats (N, D), train_labels (N,), val_feats (M, D),
        val_labels (M,))``.
    """
    from mmssl.evaluation.feature_cache import (extract_features,
                                                load_feature_cache)
    extract_features(
        cfg,
        checkpoint,
        cache_dir,
        splits=('train', 'val'),
        feature=feature,
        seed=seed)
    expect = dict(expect_config=cfg, expect_checkpoint=checkpoint or 'none')
    train_feats, train_labels, _ = load_feature_cache(cache_dir, 'train',
                                                      **expect)
    val_feats, val_labels, _ = load_feature_cache(cache_dir, 'val', **expect)
    return train_feats, train_labels, val_feats, val_labels


def evaluate_checkpoint(config: str,
                        checkpoint: Optional[str],
                        protocols,
                        work_dir: str,
                        data_root: Optional[str] = None,
                        seed: int = 0,
                        dataset: Optional[str] = None,
                        finetune_config: Optional[str] = None,
                        options: Optional[Dict[str, dict]] = None,
                        cfg_options: Optional[dict] = None,
                        finetune_cfg_options: Optional[List[str]] = None,
                        log: Callable[[str], None] = print) -> dict:
    """Run ``protocols`` on ``checkpoint`` and write the report.

    Args:
        config (str): The pretraining config (model + retrieval protocol).
        checkpoint (str, optional): Checkpoint path; ``None`` or ``'none'``
            for a random initialisation seeded by ``seed``.
        protocols (str | Sequence[str]): Subset of :data:`PROTOCOLS`.
        work_dir (str): Output directory (report, feature cache, runs).
        data_root (str, optional): Moves every path under the configs'
            ``data_root`` (as ``--data-root`` of the tools).
        seed (int): Seed of the random init, data sampling and training.
        dataset (str, optional): Evaluation dataset; default: the one the
            config's retrieval test loader reads.
        finetune_config (str, optional): Fine-tune config; default: the
            dataset's that fits the backbone.
        options (dict, optional): Per-protocol setting overrides, e.g.
            ``{'knn': {'k': 10}, 'linear': {'epochs': 20}}``.
        cfg_options (dict, optional): Overrides of the pretraining config
            (``--cfg-options``), e.g. the loader's ``num_workers``.
        finetune_cfg_options (list[str], optional): ``key=value``
            overrides of both fine-tuning runs.
        log (Callable): Progress messages.

    Returns:
        dict: The report written to ``work_dir/evaluation.json``.
    """
    start = time.time()
    protocols = parse_protocols(protocols)
    if isinstance(checkpoint, str) and checkpoint.lower() == 'none':
        checkpoint = None
    if checkpoint is not None and not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint not found: {checkpoint}')
    cfg = Config.fromfile(config)
    split = 1
    if dataset is None:
        dataset, split = evaluation_dataset(cfg)
    options = dict(options or {})
    unknown = sorted(set(options) - set(protocols))
    if unknown:
        raise EvaluationError(f'settings given for protocols not run: '
                              f'{unknown} (running {protocols})')
    if 'finetune' in options:
        raise EvaluationError(
            'fine-tuning settings are config overrides: pass them as '
            '--finetune-cfg-options key=value (not --options finetune.*)')
    settings = {}
    for protocol in protocols:  # every check before any work
        _check_available(protocol)
        if protocol in CACHED_PROTOCOLS:
            settings[protocol] = protocol_settings(protocol, dataset,
                                                   options.get(protocol))
    if 'finetune' in protocols:
        finetune_config = finetune_config or finetune_config_for(
            cfg, dataset, split, osp.join(REPO, 'configs/benchmarks/finetune'))
        relative = osp.relpath(finetune_config, REPO)
        settings['finetune'] = dict(
            config=finetune_config
            if relative.startswith('..') else relative,
            cfg_options=finetune_cfg_options or [])
        if checkpoint is not None:  # fail before hours of other protocols
            check_backbone_fits(finetune_config, checkpoint)
    cfg = apply_overrides(cfg, cfg_options, data_root)
    metric = _retrieval_metric(cfg)
    log(f'[evaluate] {osp.basename(config)} on {dataset} split {split}, '
        f'{checkpoint or "random init (seed %d)" % seed}: '
        f'{", ".join(protocols)}')
    results = {}
    cached = [p for p in protocols if p in CACHED_PROTOCOLS]
    cache_dir = osp.join(work_dir, 'features') if cached else None
    if cached:
        log(f'[evaluate] features (once, for {", ".join(cached)}) -> '
            f'{cache_dir}')
        data = _cached_features(cfg, checkpoint, cache_dir,
                                metric.get('feature_key', 'feats'), seed)
        num_classes = _num_classes(dataset, data[1], data[3])
    for protocol in protocols:
        log(f'[evaluate] {protocol} ...')
        if protocol == 'retrieval':
            results[protocol] = cached_retrieval(*data, **settings[protocol])
        elif protocol == 'knn':
            results[protocol] = cached_knn(*data, num_classes,
                                           **settings[protocol])
        elif protocol == 'linear':
            results[protocol] = cached_linear_probe(
                *data, num_classes, seed=seed, **settings[protocol])
            settings[protocol] = {  # the probe's defaults, as used
                key: results[protocol][key]
                for key in ('epochs', 'lr', 'weight_decay', 'batch_size',
                            'standardize') if key in results[protocol]
            }
        else:
            results[protocol] = run_finetune(
                finetune_config,
                checkpoint,
                osp.join(work_dir, 'finetune'),
                osp.join(REPO, 'tools'),
                seed=seed,
                data_root=data_root,
                cfg_options=finetune_cfg_options,
                check_backbone=False,  # checked above
                log=log)
        shown = table_rows({protocol: results[protocol]})
        log(f'[evaluate] {protocol}: ' + ', '.join(
            f'{r["metric"]} {r["value"]:.1f}%' for r in shown))
    report = dict(
        config=config,
        config_sha256=config_sha256(cfg),
        checkpoint=checkpoint or 'none',
        checkpoint_sha256=file_sha256(checkpoint) if checkpoint else None,
        seed=seed,
        dataset=dataset,
        split=split,
        data_root=cfg.get('data_root'),
        protocols=protocols,
        settings=settings,
        feature_cache=cache_dir,
        results=results,
        table=table_rows(results),
        seconds=round(time.time() - start, 1))
    paths = write_report(report, work_dir)
    log(f'[evaluate] report: {paths["json"]}, {paths["md"]}')
    return report
