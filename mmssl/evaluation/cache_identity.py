"""What a cached result was computed from: config and checkpoint hashes.

A feature cache (:mod:`mmssl.evaluation.feature_cache`) records the sha256
of the resolved config and of the checkpoint file, so a cache made from
another config or checkpoint is refused with one error saying what differs
(:class:`FeatureCacheMismatch`).

The config hash is taken over canonical JSON of the *resolved* config
(``Config.to_dict()``: ``_base_`` inheritance, ``{{ }}`` substitutions and
``--cfg-options`` / ``--data-root`` overrides applied; keys sorted), not
over the file's text, so comments and formatting do not matter and an
override that changes the data does.
"""
import hashlib
import json
import os.path as osp
from typing import List, Union

from mmengine.config import Config

__all__ = [
    'FeatureCacheMismatch', 'file_sha256', 'canonical_config',
    'config_sha256', 'config_differences', 'describe_checkpoint',
    'check_cache_identity'
]


class FeatureCacheMismatch(ValueError):
    """A cache was made from another config or checkpoint than expected."""


def file_sha256(path: str, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, 'rb') as f:
        for block in iter(lambda: f.read(chunk), b''):
            digest.update(block)
    return digest.hexdigest()


def canonical_config(cfg: Union[Config, dict, str]) -> dict:
    """JSON-safe dict of a resolved config (a path is read with
    ``Config.fromfile``); values JSON cannot hold become their ``repr``."""
    if isinstance(cfg, str):
        cfg = Config.fromfile(cfg)
    if isinstance(cfg, Config):
        cfg = cfg.to_dict()
    return json.loads(json.dumps(cfg, sort_keys=True, default=repr))


def config_sha256(cfg: Union[Config, dict, str]) -> str:
    """Hex sha256 of :func:`canonical_config` serialised with sorted keys."""
    text = json.dumps(canonical_config(cfg), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def _flatten(value, prefix: str = '') -> dict:
    if isinstance(value, dict):
        out = {}
        for key, child in value.items():
            out.update(_flatten(child, f'{prefix}.{key}' if prefix else key))
        return out
    if isinstance(value, list):
        out = {}
        for i, child in enumerate(value):
            out.update(_flatten(child, f'{prefix}[{i}]'))
        return out or {prefix: []}
    return {prefix: value}


def config_differences(cached: dict, expected: dict,
                       limit: int = 5) -> List[str]:
    """Dotted keys whose values differ between two canonical configs.

    Args:
        cached (dict): :func:`canonical_config` of the cached run.
        expected (dict): :func:`canonical_config` of the expected config.
        limit (int): Most differences listed (then ``'... N more'``).

    Returns:
        list[str]: e.g. ``["model.backbone.depth: 18 (cache) vs 50"]``.
    """
    old, new = _flatten(cached), _flatten(expected)
    lines = []
    for key in sorted(set(old) | set(new)):
        if old.get(key, '<absent>') != new.get(key, '<absent>'):
            lines.append(f'{key}: {old.get(key, "<absent>")!r} (cache) vs '
                         f'{new.get(key, "<absent>")!r}')
    if len(lines) > limit:
        lines = lines[:limit] + [f'... {len(lines) - limit} more']
    return lines


def describe_checkpoint(checkpoint) -> str:
    """``'none'`` or the absolute path of a checkpoint."""
    return 'none' if checkpoint in (None, 'none') else osp.abspath(checkpoint)


def check_cache_identity(meta: dict, meta_path: str, cached_config_path: str,
                         expect_config, expect_checkpoint) -> None:
    """Refuse a cache made from another config or checkpoint.

    Args:
        meta (dict): The cache's ``meta.json`` (``config``,
            ``config_sha256``, ``checkpoint``, ``checkpoint_sha256``).
        meta_path (str): Its path (named in the error).
        cached_config_path (str): The cache's ``config.json`` (to list the
            differing keys; may be absent).
        expect_config (Config | dict | str | None): Expected config, None
            to skip.
        expect_checkpoint (str | None): Expected checkpoint path or
            ``'none'``, None to skip.

    Raises:
        FeatureCacheMismatch: Naming ``meta_path`` and what differs.
    """
    if expect_config is not None:
        expected = canonical_config(expect_config)
        if config_sha256(expected) != meta['config_sha256']:
            diffs = []
            if osp.isfile(cached_config_path):
                with open(cached_config_path) as f:
                    diffs = config_differences(json.load(f), expected)
            name = getattr(expect_config, 'filename', None) or (
                expect_config if isinstance(expect_config, str) else
                'the expected config')
            raise FeatureCacheMismatch(
                f'{meta_path}: feature cache was extracted with config '
                f'{meta["config"]} (sha256 {meta["config_sha256"][:12]}), '
                f'not {name} (sha256 {config_sha256(expected)[:12]}); '
                f'differences: {"; ".join(diffs) or "unknown"}. Re-run '
                'tools/analysis_tools/extract_features.py with this config.')
    if expect_checkpoint is not None:
        if expect_checkpoint == 'none':
            sha, name = None, 'none (random initialisation)'
        else:
            sha, name = file_sha256(expect_checkpoint), expect_checkpoint
        if sha != meta['checkpoint_sha256']:
            cached = meta['checkpoint'] if meta['checkpoint'] == 'none' else (
                f'{meta["checkpoint"]} (sha256 '
                f'{meta["checkpoint_sha256"][:12]})')
            expected = name if sha is None else f'{name} (sha256 {sha[:12]})'
            raise FeatureCacheMismatch(
                f'{meta_path}: feature cache was extracted from checkpoint '
                f'{cached}, not {expected}. Re-run '
                'tools/analysis_tools/extract_features.py with this '
                'checkpoint.')
