"""The benchmark grid (``tools/benchmark/grid.py``): the axes of Kumar et
al.'s study (pretext task x backbone x task complexity x pretraining subset
x seed) over base configs, run cell by cell (or as cluster jobs) and
collected into one leaderboard with cost columns (docs/benchmarks/grid.md).
"""
from .grid_runner import collect_grid, prepare_grid, run_grid, select_cells
from .grid_spec import Cell, GridSpec, load_grid_spec
from .launchers import dist_train_commands, slurm_array_script
from .leaderboard import aggregate_rows, cell_metrics, write_leaderboard
from .materialise import materialise_cell, validate_cells

__all__ = [
    'Cell', 'GridSpec', 'load_grid_spec', 'materialise_cell',
    'validate_cells', 'run_grid', 'prepare_grid', 'collect_grid',
    'select_cells', 'slurm_array_script', 'dist_train_commands',
    'aggregate_rows', 'cell_metrics', 'write_leaderboard'
]
