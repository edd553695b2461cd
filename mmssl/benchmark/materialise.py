"""One config per grid cell, and the checks made before any cell runs.

:func:`materialise_cell` starts from the cell's level config (the config
that sets the pretext task's complexity, e.g. VCOP's number of clips) and
overrides, in this order: the data root (every path under the config's
``data_root``, :func:`~mmssl.utils.config_overrides.apply_overrides`), the
spec's ``cfg_options`` (schedule, loaders), ``model.backbone`` (replaced
whole), the pretraining list (the cell's subset) and ``randomness.seed``.
:func:`validate_cells` materialises every cell and checks optimizer and
scheduler types (:func:`check_registered_types`), the schedule
(:func:`check_schedule_fits`) and that the model builds, so a typo in cell
37 is reported before cell 1 trains.
"""
import copy
import os.path as osp
from typing import Dict, List, Optional

from mmengine.config import Config

from mmssl.utils.config_overrides import apply_overrides
from mmssl.utils.config_validation import (ConfigError,
                                           check_registered_types,
                                           check_schedule_fits)
from .grid_spec import Cell, GridSpec

__all__ = ['materialise_cell', 'validate_cells', 'train_ann_file']


def train_ann_file(cfg: Config) -> str:
    """The pretraining annotation list of a config.

    Raises:
        ConfigError: The config has no ``train_dataloader.dataset.ann_file``.
    """
    dataset = (cfg.get('train_dataloader') or {}).get('dataset') or {}
    ann_file = dataset.get('ann_file')
    if not isinstance(ann_file, str):
        raise ConfigError(f'{cfg.filename}: no train_dataloader.dataset.'
                          'ann_file to draw pretraining subsets from')
    return ann_file


def materialise_cell(spec: GridSpec,
                     cell: Cell,
                     work_dir: str,
                     subset_lists: Optional[Dict[str, str]] = None
                     ) -> Config:
    """The config of one cell.

    Args:
        spec (GridSpec): The grid.
        cell (Cell): The cell.
        work_dir (str): The cell's work directory (set as ``work_dir``).
        subset_lists (dict[str, str], optional): ``{subset: list path}`` per
            base train list; a cell of subset ``full`` (size None) keeps
            the config's list.

    Returns:
        Config: The cell's config.
    """
    cfg = Config.fromfile(cell.config)
    options = copy.deepcopy(spec.cfg_options)
    apply_overrides(cfg, None, spec.data_root)
    if options:
        cfg.merge_from_dict(options)
    backbone = spec.backbones[cell.backbone]
    if backbone is not None:
        cfg.model.backbone = copy.deepcopy(backbone)
    if cell.subset_size is not None:
        if not subset_lists or cell.subset not in subset_lists:
            raise ConfigError(f'cell {cell.name}: no list drawn for subset '
                              f'{cell.subset!r}')
        cfg.train_dataloader.dataset.ann_file = subset_lists[cell.subset]
    cfg.randomness = dict(cfg.get('randomness') or {}, seed=cell.seed)
    cfg.work_dir = work_dir
    return cfg


def validate_cells(spec: GridSpec,
                   cells: List[Cell],
                   work_root: str,
                   subset_lists: Optional[Dict[str, Dict[str, str]]] = None
                   ) -> Dict[str, Config]:
    """Materialise and check every cell before anything runs.

    Args:
        spec (GridSpec): The grid.
        cells (list[Cell]): The cells to check.
        work_root (str): ``<work_root>/<cell name>`` is each cell's
            work directory.
        subset_lists (dict, optional): ``{base train list: {subset:
            path}}`` (from :func:`~.subset_lists.draw_subset_lists`).

    Returns:
        dict[str, Config]: ``{cell name: config}``.

    Raises:
        ConfigError: One message listing every failing cell and why.
    """
    from mmengine.registry import init_default_scope

    from mmssl.registry import MODELS
    init_default_scope('mmssl')
    configs, errors = {}, []
    for cell in cells:
        try:
            base_list = None
            if cell.subset_size is not None:
                base_list = train_ann_file(_base_config(spec, cell))
            cfg = materialise_cell(
                spec, cell, osp.join(work_root, cell.name),
                (subset_lists or {}).get(base_list))
            check_registered_types(cfg)
            check_schedule_fits(cfg)
            MODELS.build(copy.deepcopy(cfg.model))
            configs[cell.name] = cfg
        except Exception as error:  # every cell's problem, then one report
            errors.append(f'{cell.name} ({osp.relpath(cell.config)}): '
                          f'{type(error).__name__}: {error}')
    if errors:
        raise ConfigError(f'{len(errors)} of {len(cells)} grid cells are '
                          'invalid:\n  ' + '\n  '.join(errors))
    return configs


def _base_config(spec: GridSpec, cell: Cell) -> Config:
    cfg = Config.fromfile(cell.config)
    apply_overrides(cfg, None, spec.data_root)
    return cfg
