"""The benchmark grid's spec: axes over base configs, and its cells.

A grid spec is a Python config (read with MMEngine's ``Config``) holding
the axes of the study of Kumar et al., "A Large-Scale Analysis on
Contextual Self-Supervised Video Representation Learning" (Sec. 4,
Table 3): pretext task x backbone x task complexity level x pretraining
subset x seed, and the downstream protocols every cell is evaluated with::

    tasks = dict(
        vcop=dict(category='T', levels=dict(
            C1='configs/vcop/vcop_..._3clips_...py',      # one config
            C3='configs/vcop/vcop_..._5clips_...py')),    # per level
        ...)
    backbones = dict(r3d_tiny=None,                       # None: as written
                     r21d_tiny=dict(type='ResNet2Plus1d', ...))
    subsets = dict(sizes=dict(half=256, full=None), seed=0)  # or None
    protocols = ['retrieval', 'knn', 'linear']    # evaluate.py protocols,
    # + 'robustness' (needs 'finetune'): protocol_options=dict(robustness=
    # dict(noises=['gaussian'], severities=[3], clips=1)), see .robustness
    seeds = [0, 1]
    data_root = 'data/synthmotion_rgb'            # optional re-rooting
    cfg_options = dict(train_cfg=dict(max_epochs=5))   # every cell

A *cell* is one pretraining run (task, level, backbone, subset, seed); the
protocols are evaluated on its checkpoint, so they are columns, not cells.
The task-complexity sweep of Sec. 4.2 is the ``levels`` axis.
"""
import itertools
import os.path as osp
import re
from dataclasses import asdict, dataclass
from typing import Dict, List, Optional

from mmengine.config import Config

from mmssl.utils.config_validation import ConfigError
from .robustness import ROBUSTNESS, check_robustness_spec

__all__ = ['Cell', 'GridSpec', 'load_grid_spec']

_NAME = re.compile(r'^[A-Za-z0-9][A-Za-z0-9.+-]*$')
_KNOWN_KEYS = {
    'tasks', 'backbones', 'subsets', 'protocols', 'seeds', 'data_root',
    'cfg_options', 'protocol_options', 'finetune_cfg_options', 'name'
}


@dataclass(frozen=True)
class Cell:
    """One pretraining run of the grid.

    Attributes:
        task (str): Pretext task name (a key of ``tasks``).
        category (str): The task's transformation category (S, T, ST) or
            ``''``.
        level (str): Complexity level name (a key of the task's levels).
        config (str): The level's base config path.
        backbone (str): Backbone name (a key of ``backbones``).
        subset (str): Pretraining subset name (``'full'`` without subsets).
        subset_size (int | None): Its number of videos (None: full list).
        seed (int): Random seed of the run.
    """
    task: str
    category: str
    level: str
    config: str
    backbone: str
    subset: str
    subset_size: Optional[int]
    seed: int

    @property
    def name(self) -> str:
        """Directory-safe id, e.g. ``vcop-C1_r3d_tiny_full_s0``."""
        return (f'{self.task}-{self.level}_{self.backbone}_{self.subset}'
                f'_s{self.seed}')

    def as_dict(self) -> dict:
        return dict(asdict(self), cell=self.name)


@dataclass
class GridSpec:
    """A validated grid spec (see the module docstring for the keys)."""
    path: str
    tasks: Dict[str, dict]
    backbones: Dict[str, Optional[dict]]
    subset_sizes: Dict[str, Optional[int]]
    subset_seed: int
    protocols: List[str]
    seeds: List[int]
    data_root: Optional[str]
    cfg_options: dict
    protocol_options: dict
    finetune_cfg_options: List[str]
    name: str

    def cells(self) -> List[Cell]:
        """Every cell, in the order task, level, backbone, subset, seed."""
        out = []
        for task, entry in self.tasks.items():
            for level, config in entry['levels'].items():
                for backbone, (subset, size), seed in itertools.product(
                        self.backbones, self.subset_sizes.items(),
                        self.seeds):
                    out.append(
                        Cell(task, entry.get('category', ''), level, config,
                             backbone, subset, size, seed))
        return out


def _check_name(kind: str, name, where: str) -> None:
    if not isinstance(name, str) or not _NAME.match(name) or '_' in name:
        raise ConfigError(
            f'{where}: {kind} name {name!r} must be letters, digits, ".", '
            '"+" or "-" (no "_": it separates the parts of a cell id)')


def _resolve(path: str, spec_path: str, repo: str) -> str:
    """A config path as written, relative to the repo or to the spec."""
    for base in (repo, osp.dirname(spec_path)):
        candidate = osp.join(base, path)
        if osp.isfile(candidate):
            return osp.normpath(candidate)
    raise ConfigError(f'{spec_path}: config {path!r} not found (relative to '
                      f'{repo} or to the spec)')


def _check_protocols(protocols: List[str], options: dict,
                     path: str) -> None:
    """Known, distinct protocols; options only for protocols that run."""
    from mmssl.evaluation.suite import PROTOCOLS
    known = (*PROTOCOLS, ROBUSTNESS)
    unknown = [p for p in protocols if p not in known]
    if unknown or len(set(protocols)) != len(protocols):
        raise ConfigError(f'{path}: protocols {protocols}: '
                          + (f'unknown {unknown}; ' if unknown else '') +
                          f'choose distinct ones from {list(known)}')
    if not isinstance(options, dict):
        raise ConfigError(f'{path}: protocol_options must be a dict')
    stray = sorted(set(options) - set(protocols))
    if stray:
        raise ConfigError(f'{path}: protocol_options for protocols not in '
                          f'protocols: {stray} (protocols: {protocols})')
    check_robustness_spec(protocols, options, path)


def load_grid_spec(path: str, repo: str = '.') -> GridSpec:
    """Read and check a grid spec.

    Args:
        path (str): The spec (a Python config).
        repo (str): Directory that config paths are relative to (they may
            also be relative to the spec).

    Returns:
        GridSpec: Names checked, config paths resolved.

    Raises:
        ConfigError: Naming the spec and the offending key.
    """
    raw = Config.fromfile(path).to_dict()
    unknown = sorted(set(raw) - _KNOWN_KEYS)
    if unknown:
        raise ConfigError(f'{path}: unknown grid keys {unknown}; known: '
                          f'{sorted(_KNOWN_KEYS)}')
    tasks = raw.get('tasks') or {}
    if not tasks:
        raise ConfigError(f'{path}: `tasks` is empty')
    for task, entry in tasks.items():
        _check_name('task', task, f'{path}: tasks')
        if not isinstance(entry, dict) or not entry.get('levels'):
            raise ConfigError(f'{path}: tasks.{task} needs levels=dict('
                              'LEVEL=config path, ...)')
        for level, config in entry['levels'].items():
            _check_name('level', level, f'{path}: tasks.{task}.levels')
            entry['levels'][level] = _resolve(config, path, repo)
    backbones = raw.get('backbones') or {'default': None}
    for backbone, value in backbones.items():
        _check_name('backbone', backbone, f'{path}: backbones')
        if value is not None and not (isinstance(value, dict)
                                      and 'type' in value):
            raise ConfigError(f'{path}: backbones.{backbone} must be None '
                              '(the config\'s own) or a dict with a type')
    subsets = raw.get('subsets') or {}
    sizes = subsets.get('sizes') or {'full': None}
    for subset, size in sizes.items():
        _check_name('subset', subset, f'{path}: subsets.sizes')
        if size is not None and (not isinstance(size, int) or size <= 0):
            raise ConfigError(f'{path}: subsets.sizes.{subset}={size!r} must '
                              'be a positive number of videos or None (all)')
    seeds = list(raw.get('seeds') or [0])
    if len(set(seeds)) != len(seeds) or not all(
            isinstance(s, int) for s in seeds):
        raise ConfigError(f'{path}: seeds must be distinct integers, got '
                          f'{seeds}')
    protocols = list(raw.get('protocols') or [])
    protocol_options = raw.get('protocol_options') or {}
    _check_protocols(protocols, protocol_options, path)
    return GridSpec(
        path=path,
        tasks=tasks,
        backbones=backbones,
        subset_sizes=sizes,
        subset_seed=int(subsets.get('seed', 0)),
        protocols=protocols,
        seeds=seeds,
        data_root=raw.get('data_root'),
        cfg_options=raw.get('cfg_options') or {},
        protocol_options=protocol_options,
        finetune_cfg_options=list(raw.get('finetune_cfg_options') or []),
        name=raw.get('name') or osp.splitext(osp.basename(path))[0])
