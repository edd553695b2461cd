"""Video features extracted once, sharded on disk, reused by every probe.

``extract_features`` runs a backbone over the videos of a config's
retrieval / test loader (:func:`~mmssl.evaluation.feature_views.
split_dataset_cfgs`: ``train`` and ``val`` splits) and writes::

    DIR/meta.json          what was extracted (config + checkpoint sha256,
                           feature key, clips x crops, per split: videos,
                           dim, shard files)
    DIR/config.json        the resolved config (to name what differs)
    DIR/<split>-00000.pt   dict(feats=(n, D) float32, labels=(n,) int64,
                                indices=(n,) int64, filenames=list[str])

A video's feature is the mean over its K clips x crops views (the model's
``predict``, :meth:`mmssl.models.algorithms.BaseSSLAlgorithm.predict`), as
in the retrieval protocol (docs/protocols/retrieval.md). Loading is the
config's test loader: the decode-once pipeline (``DecordDecodeUnion``) in
``num_workers`` worker processes. ``load_feature_cache`` refuses a cache
made from another config or checkpoint (:class:`FeatureCacheMismatch`).
Users: the linear probe (docs/protocols/linear_probe.md), k-NN and
``tools/analysis_tools/evaluate.py``.
"""
import copy
import json
import os
import os.path as osp
import time
from typing import Iterator, Optional, Sequence, Tuple, Union

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from tqdm import tqdm

from mmssl.evaluation.cache_identity import (FeatureCacheMismatch,
                                             canonical_config,
                                             check_cache_identity,
                                             config_sha256,
                                             describe_checkpoint,
                                             file_sha256)
from mmssl.evaluation.feature_views import set_num_crops, split_dataset_cfgs
from mmssl.evaluation.protocol_config import set_num_clips
from mmssl.registry import MODELS
from mmssl.utils.checkpoint_loading import prepare_evaluated_model

__all__ = [
    'extract_features', 'load_feature_cache', 'FeatureCacheMismatch',
    'build_feature_loader', 'iter_predictions'
]

META_FILE = 'meta.json'
CONFIG_FILE = 'config.json'
SHARD_KEYS = ('feats', 'labels', 'indices', 'filenames')


def _save_atomic(obj, path: str) -> None:
    tmp = f'{path}.tmp'
    if path.endswith('.json'):
        with open(tmp, 'w') as f:
            json.dump(obj, f, indent=2)
    else:
        torch.save(obj, tmp)
    os.replace(tmp, path)


def build_feature_loader(dataset_cfg: dict, batch_size: int,
                         num_workers: int, seed: int):
    """Unshuffled loader over ``dataset_cfg`` (the test pipeline: videos
    decoded once per sample, in ``num_workers`` worker processes)."""
    return Runner.build_dataloader(
        dict(
            batch_size=batch_size,
            num_workers=num_workers,
            persistent_workers=False,
            sampler=dict(type='DefaultSampler', shuffle=False),
            dataset=dataset_cfg),
        seed=seed)


def iter_predictions(model, loader, feature: str, desc: str,
                     show_progress: bool) -> Iterator:
    """The model's predicted data samples, one per video in loader order,
    each checked to carry ``feature`` (no gradients)."""
    with torch.no_grad():
        for batch in tqdm(loader, desc=desc, disable=not show_progress):
            for sample in model.test_step(batch):
                if feature not in sample:
                    raise KeyError(
                        f'{type(model).__name__}.predict gives no '
                        f'{feature!r} feature (fields: {list(sample.keys())})')
                yield sample


def _extract_split(model, loader, feature: str, split: str, out_dir: str,
                   shard_size: int, show_progress: bool) -> dict:
    """Features of one split, written in shards of ``shard_size`` videos."""
    dataset = loader.dataset
    for name in os.listdir(out_dir):  # stale shards of an earlier run
        if name.startswith(f'{split}-') and name.endswith('.pt'):
            os.remove(osp.join(out_dir, name))
    shards, buffer, position, dim = [], [], 0, None

    def flush():
        index = torch.arange(position - len(buffer), position)
        infos = [dataset.get_data_info(int(i)) for i in index]
        shard = dict(
            feats=torch.stack(buffer).float().contiguous(),
            labels=torch.tensor([int(i['label']) for i in infos],
                                dtype=torch.int64),
            indices=index,
            filenames=[str(i['filename']) for i in infos])
        name = f'{split}-{len(shards):05d}.pt'
        _save_atomic(shard, osp.join(out_dir, name))
        shards.append(name)
        buffer.clear()

    for sample in iter_predictions(model, loader, feature,
                                   f'{split} features', show_progress):
        feat = sample.get(feature).detach().cpu().flatten()
        dim = feat.numel()
        buffer.append(feat)
        position += 1
        if len(buffer) == shard_size:
            flush()
    if buffer:
        flush()
    if position != len(dataset):
        raise RuntimeError(f'{split}: {position} features for '
                           f'{len(dataset)} videos')
    return dict(num_videos=position, dim=dim, shards=shards)


def extract_features(cfg: Config,
                     checkpoint: Optional[str],
                     out_dir: str,
                     splits: Sequence[str] = ('train', 'val'),
                     num_clips: Optional[int] = None,
                     num_crops: int = 1,
                     feature: str = 'feats',
                     shard_size: int = 4096,
                     seed: int = 0,
                     batch_size: Optional[int] = None,
                     num_workers: Optional[int] = None,
                     show_progress: bool = True) -> dict:
    """Extract and cache video features of ``splits``.

    Args:
        cfg (Config): Resolved config with ``model`` and a retrieval-style
            ``test_dataloader`` (its pipeline is the test pipeline).
        checkpoint (str, optional): Checkpoint whose ``backbone.`` weights
            load strictly; ``None`` or ``'none'``: random initialisation
            from ``seed``, the same weights as
            ``tools/analysis_tools/retrieval.py CONFIG none --seed S``
            (:func:`~mmssl.utils.checkpoint_loading.prepare_evaluated_model`).
        out_dir (str): Cache directory (created).
        splits (Sequence[str]): Subset of the config's splits.
        num_clips (int, optional): Clips per video K (default: the
            config's test-mode ``SampleFrames.num_clips``).
        num_crops (int): Crops per clip: 1 (centre), 3, 10.
        feature (str): ``'feats'`` (3-D pooled) or ``'time_feats'``.
        shard_size (int): Videos per shard file.
        seed (int): Seed of the random initialisation and the loader.
        batch_size (int, optional): Loader batch size (default: config's).
        num_workers (int, optional): Loader workers (default: config's).
        show_progress (bool): Show a progress bar per split.

    Returns:
        dict: The ``meta.json`` content.
    """
    if shard_size < 1:
        raise ValueError(f'shard_size must be >= 1, got {shard_size}')
    checkpoint = None if checkpoint in (None, 'none') else checkpoint
    if checkpoint is not None and not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint not found: {checkpoint}')
    start = time.time()
    config = canonical_config(cfg)
    work = copy.deepcopy(cfg)
    if num_clips is not None:
        set_num_clips(work, num_clips)
    datasets = split_dataset_cfgs(work)
    unknown = [s for s in splits if s not in datasets]
    if unknown:
        raise KeyError(f'{cfg.filename}: no split {unknown} in '
                       f'test_dataloader (has {sorted(datasets)})')
    clips = {t['num_clips'] for s in splits for t in datasets[s]['pipeline']
             if t.get('test_mode') and 'num_clips' in t}
    init_default_scope(cfg.get('default_scope', 'mmssl'))
    model = MODELS.build(cfg.model)
    evaluated = prepare_evaluated_model(model, cfg.model, checkpoint, seed)
    model.eval()
    os.makedirs(out_dir, exist_ok=True)
    loader_defaults = cfg.test_dataloader
    meta = dict(
        format='mmssl-feature-cache',
        version=1,
        config=cfg.filename,
        config_sha256=config_sha256(config),
        checkpoint=describe_checkpoint(checkpoint),
        checkpoint_sha256=file_sha256(checkpoint) if checkpoint else None,
        seed=seed,
        evaluated=evaluated,
        feature=feature,
        num_clips=clips.pop() if len(clips) == 1 else None,
        num_crops=num_crops,
        splits={})
    for split in splits:
        dataset_cfg = datasets[split]
        set_num_crops(dataset_cfg['pipeline'], num_crops)
        loader = build_feature_loader(
            dataset_cfg,
            batch_size or loader_defaults.get('batch_size', 8),
            loader_defaults.get('num_workers', 0)
            if num_workers is None else num_workers, seed)
        meta['splits'][split] = _extract_split(model, loader, feature, split,
                                               out_dir, shard_size,
                                               show_progress)
    meta['seconds'] = round(time.time() - start, 2)
    _save_atomic(config, osp.join(out_dir, CONFIG_FILE))
    _save_atomic(meta, osp.join(out_dir, META_FILE))
    return meta


def _read_meta(out_dir: str) -> Tuple[dict, str]:
    meta_path = osp.join(out_dir, META_FILE)
    if not osp.isfile(meta_path):
        raise FileNotFoundError(
            f'{meta_path}: no feature cache here (write one with '
            'tools/analysis_tools/extract_features.py CONFIG CKPT --out DIR)')
    try:
        with open(meta_path) as f:
            meta = json.load(f)
    except json.JSONDecodeError as error:
        raise ValueError(f'{meta_path}: not valid JSON ({error})') from None
    if meta.get('format') != 'mmssl-feature-cache':
        raise ValueError(f'{meta_path}: not an mmssl feature cache '
                         f'(format {meta.get("format")!r})')
    return meta, meta_path


def load_feature_cache(
        out_dir: str,
        split: str,
        expect_config: Union[Config, dict, str, None] = None,
        expect_checkpoint: Optional[str] = None
) -> Tuple[torch.Tensor, torch.Tensor, dict]:
    """Read one split of a feature cache, checking what it was made from.

    Args:
        out_dir (str): Directory written by :func:`extract_features`.
        split (str): ``'train'`` or ``'val'``.
        expect_config (Config | dict | str, optional): The config the cache
            must come from (a path is loaded; compared by the hash of the
            resolved config). ``None``: not checked.
        expect_checkpoint (str, optional): The checkpoint the cache must
            come from (compared by file sha256), ``'none'`` for random
            initialisation. ``None``: not checked.

    Returns:
        tuple: ``feats`` ``(N, D)`` float32, ``labels`` ``(N,)`` int64 in
        dataset order, and the meta dict.

    Raises:
        FeatureCacheMismatch: Config or checkpoint differs; the message names
            ``meta.json`` and what differs.
        FileNotFoundError: No cache, or a shard is missing.
        KeyError: ``split`` not in the cache.
        ValueError: A damaged meta or shard file (named).
    """
    meta, meta_path = _read_meta(out_dir)
    check_cache_identity(meta, meta_path, osp.join(out_dir, CONFIG_FILE),
                         expect_config, expect_checkpoint)
    if split not in meta['splits']:
        raise KeyError(f'{meta_path}: no split {split!r} in the cache (has '
                       f'{sorted(meta["splits"])})')
    info = meta['splits'][split]
    feats, labels = [], []
    for name in info['shards']:
        path = osp.join(out_dir, name)
        if not osp.isfile(path):
            raise FileNotFoundError(f'{path}: shard listed in {meta_path} is '
                                    'missing')
        shard = torch.load(path, map_location='cpu', weights_only=True)
        if not isinstance(shard, dict) or any(k not in shard
                                              for k in SHARD_KEYS):
            raise ValueError(f'{path}: expected a dict with keys '
                             f'{SHARD_KEYS}')
        if shard['feats'].dim() != 2 or shard['feats'].shape[1] != info[
                'dim'] or len(shard['labels']) != len(shard['feats']):
            raise ValueError(
                f'{path}: feats {tuple(shard["feats"].shape)} and labels '
                f'{tuple(shard["labels"].shape)} do not fit dim '
                f'{info["dim"]} of {meta_path}')
        feats.append(shard['feats'])
        labels.append(shard['labels'])
    feats = torch.cat(feats) if feats else torch.empty(0, info['dim'] or 0)
    labels = torch.cat(labels) if labels else torch.empty(0, dtype=torch.long)
    if len(feats) != info['num_videos']:
        raise ValueError(f'{out_dir}: {len(feats)} {split} features in the '
                         f'shards, {meta_path} lists {info["num_videos"]}')
    return feats.float(), labels.long(), meta
