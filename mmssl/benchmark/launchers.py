"""Grid cells as jobs for a cluster: a SLURM array script, or a list of
``tools/dist_train.sh`` + ``evaluate.py`` commands.

Both start from the materialised configs (``<work_root>/<cell>/
cell_config.py``, written by ``tools/benchmark/grid.py --emit``). The SLURM
array runs ``tools/benchmark/grid.py SPEC --work-dir W --cell NAME`` per
task, so cluster runs record status, results and cost exactly like local
ones (a finished cell is skipped on resubmission); the command list is for
machines without SLURM and does not record cost. Afterwards ``grid.py SPEC
--work-dir W --collect`` writes the leaderboard.
"""
import os.path as osp
import re
import shlex
from typing import List

from .cell_runner import eval_command
from .grid_spec import Cell, GridSpec
from .robustness import ROBUSTNESS, emitted_robustness_line

__all__ = ['slurm_array_script', 'dist_train_commands']


def slurm_array_script(spec: GridSpec, cells: List[Cell], work_root: str,
                       partition: str, gpus: int = 1,
                       cpus_per_task: int = 8) -> str:
    """A ``sbatch`` script whose array task ``i`` runs cell ``i``."""
    names = ' '.join(shlex.quote(c.name) for c in cells)
    job = re.sub(r'[^A-Za-z0-9._-]+', '-', spec.name)
    spec_path = shlex.quote(osp.abspath(spec.path))
    root = shlex.quote(osp.abspath(work_root))
    return '\n'.join([
        '#!/usr/bin/env bash',
        f'#SBATCH --job-name=grid-{job}',
        f'#SBATCH --partition={partition}',
        f'#SBATCH --array=0-{len(cells) - 1}',
        f'#SBATCH --gres=gpu:{gpus}',
        f'#SBATCH --cpus-per-task={cpus_per_task}',
        f'#SBATCH --output={osp.abspath(work_root)}/slurm-%A_%a.out',
        '# one grid cell per array task; resubmitting skips finished cells',
        f'CELLS=({names})',
        'CELL=${CELLS[$SLURM_ARRAY_TASK_ID]}',
        f'python tools/benchmark/grid.py {spec_path} --work-dir {root} '
        '--cell "$CELL"',
        f'# afterwards: python tools/benchmark/grid.py {spec_path} '
        f'--work-dir {root} --collect', ''
    ])


def dist_train_commands(spec: GridSpec, cells: List[Cell], work_root: str,
                        repo: str, gpus: int = 1) -> str:
    """Shell lines: per cell, ``dist_train.sh``, ``evaluate.py`` and
    (protocol ``robustness``) ``noise_robustness.py``."""
    lines = ['#!/usr/bin/env bash', 'set -e']
    for cell in cells:
        cell_dir = osp.join(work_root, cell.name)
        config = osp.join(cell_dir, 'cell_config.py')
        lines.append(f'# {cell.name}')
        lines.append(f'bash tools/dist_train.sh {shlex.quote(config)} {gpus} '
                     f'--work-dir {shlex.quote(cell_dir)}')
        if spec.protocols:
            cmd = eval_command(repo, spec, cell, config,
                               '$(cat ' + shlex.quote(
                                   osp.join(cell_dir, 'last_checkpoint')) +
                               ')', cell_dir)
            cmd[0] = 'python'
            cmd[1] = 'tools/analysis_tools/evaluate.py'
            lines.append(' '.join(
                c if c.startswith('$(') else shlex.quote(c) for c in cmd))
        if ROBUSTNESS in spec.protocols:
            cmd = emitted_robustness_line(
                spec.protocol_options.get(ROBUSTNESS), cell.seed, cell_dir)
            lines.append(' '.join(
                c if c.startswith('$(') else shlex.quote(c) for c in cmd))
    return '\n'.join(lines) + '\n'
