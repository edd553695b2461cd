"""Run a grid (validate every cell, then each cell in turn, resumable) and
collect its leaderboard (``tools/benchmark/grid.py``)."""
import fnmatch
import json
import os
import os.path as osp
from typing import Callable, Dict, List, Optional

from .cell_runner import read_cell_record, run_cell, training_summary
from .grid_spec import Cell, GridSpec
from .leaderboard import aggregate_rows, cell_metrics, write_leaderboard
from .materialise import validate_cells
from .plots import plot_leaderboard
from .subset_lists import draw_subset_lists, ensure_train_lists

__all__ = ['select_cells', 'prepare_grid', 'run_grid', 'collect_grid']


def select_cells(spec: GridSpec, patterns: Optional[List[str]]) -> List[Cell]:
    """The spec's cells whose name matches any glob in ``patterns``.

    Raises:
        ValueError: A pattern matches no cell (names the known cells).
    """
    cells = spec.cells()
    if not patterns:
        return cells
    names = [c.name for c in cells]
    for pattern in patterns:
        if not fnmatch.filter(names, pattern):
            raise ValueError(f'--cell {pattern!r} matches no cell of '
                             f'{spec.path}; cells: {names}')
    return [c for c in cells
            if any(fnmatch.fnmatch(c.name, p) for p in patterns)]


def prepare_grid(spec: GridSpec, cells: List[Cell], work_root: str
                 ) -> Dict[str, object]:
    """Draw the subsets, materialise and validate every cell, and write
    each cell's ``cell_config.py``. Returns ``{cell name: Config}``."""
    ensure_train_lists(spec, cells)  # before any dataset is built
    lists = draw_subset_lists(spec, cells, osp.join(work_root, 'subsets'))
    configs = validate_cells(spec, cells, work_root, lists)
    for cell in cells:
        cell_dir = osp.join(work_root, cell.name)
        os.makedirs(cell_dir, exist_ok=True)
        configs[cell.name].dump(osp.join(cell_dir, 'cell_config.py'))
    return configs


def run_grid(spec: GridSpec, cells: List[Cell], work_root: str, repo: str,
             log: Callable[[str], None] = print,
             progress=None) -> List[dict]:
    """Validate all cells, then run them one after the other.

    A cell that is already done (same config) is skipped; a failing cell
    is recorded and the others go on.

    Returns:
        list[dict]: The cells' records (``state`` done/skipped/failed).
    """
    configs = prepare_grid(spec, cells, work_root)
    records = []
    for cell in cells:
        record = run_cell(spec, cell, configs[cell.name],
                          osp.join(work_root, cell.name), repo, log)
        log(f'[grid] {cell.name}: {record["state"]}' + (
            f' ({record.get("stage")}; {record.get("log")})'
            if record['state'] == 'failed' else ''))
        records.append(record)
        if progress is not None:
            progress(cell.name)
    return records


def _record_without_runner(cell: Cell, cell_dir: str) -> Optional[dict]:
    """A record for a cell run outside the runner (dist_train commands):
    results and pretext values, no cost."""
    try:
        with open(osp.join(cell_dir, 'eval', 'evaluation.json')) as f:
            results = json.load(f)['results']
    except (OSError, ValueError, KeyError):
        return None
    summary = training_summary(cell_dir, batch_size=1)
    return dict(cell.as_dict(), state='done', results=results,
                pretext=summary['pretext'], cost={})


def collect_grid(spec: GridSpec, cells: List[Cell], work_root: str,
                 out_dir: Optional[str] = None,
                 metric: Optional[str] = None) -> dict:
    """Write the leaderboard of the finished cells.

    Args:
        spec (GridSpec): The grid.
        cells (list[Cell]): Cells to include.
        work_root (str): The grid's work directory.
        out_dir (str, optional): Default: ``work_root``.
        metric (str, optional): Metric of the plots; default: the first
            protocol metric.

    Returns:
        dict: ``rows``, ``failed``, ``missing`` (cell names not run yet)
        and ``files`` (written paths).
    """
    out_dir = out_dir or work_root
    finished, failed, missing = [], [], []
    for cell in cells:
        cell_dir = osp.join(work_root, cell.name)
        record = read_cell_record(cell_dir) or _record_without_runner(
            cell, cell_dir)
        if record is None or record.get('state') == 'running':
            missing.append(cell.name)
        elif record.get('state') == 'failed':
            failed.append(record)
        else:
            finished.append(dict(record=record,
                                 metrics=cell_metrics(record, cell_dir)))
    rows = aggregate_rows(finished)
    files = write_leaderboard(rows, failed, out_dir, spec.name)
    metrics = [k for k in (rows[0] if rows else {})
               if k.split(' ')[0] in ('retrieval', 'knn', 'linear',
                                      'finetune') and not k.endswith('std')]
    metric = metric or (metrics[0] if metrics else None)
    if rows and metric:
        files.update(plot_leaderboard(rows, metric, out_dir))
    return dict(rows=rows, failed=[f['cell'] for f in failed],
                missing=missing, files=files)
