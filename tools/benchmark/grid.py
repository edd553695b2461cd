"""The benchmark grid: pretext task x backbone x complexity level x subset
x seed -> one leaderboard (CSV, JSON, Markdown, plots) with cost columns.

Example::

    # run every cell (resumable: rerun the same command after a stop)
    python tools/benchmark/grid.py tools/benchmark/grids/tiny_synthmotion_rgb.py \
        --work-dir work_dirs/grid_tiny --out-dir docs/benchmarks/grid_tiny

    # check every cell's config without running anything
    python tools/benchmark/grid.py SPEC --work-dir W --dry-run
    # cluster: a SLURM array (one cell per task) or dist_train.sh commands
    python tools/benchmark/grid.py SPEC --work-dir W --emit slurm \
        --partition gpu > grid.sbatch
    python tools/benchmark/grid.py SPEC --work-dir W --emit commands > run.sh
    # one cell (what each SLURM task runs), then the leaderboard
    python tools/benchmark/grid.py SPEC --work-dir W --cell 'vcop-C1_*'
    python tools/benchmark/grid.py SPEC --work-dir W --collect

The spec format is in :mod:`mmssl.benchmark.grid_spec`; docs/benchmarks/
grid.md describes the outputs.
"""
import argparse
import os.path as osp
import sys

from tqdm import tqdm

try:
    import mmssl  # noqa: F401  (allow-lists safe checkpoint types)
except ImportError:  # running from a source checkout without installing
    sys.path.insert(0, osp.abspath(osp.join(osp.dirname(__file__), '..',
                                            '..')))
from mmssl.benchmark import (collect_grid, dist_train_commands,
                             load_grid_spec, prepare_grid, run_grid,
                             select_cells, slurm_array_script)
from mmssl.utils import quiet_ffmpeg, register_all_modules
from mmssl.utils.config_validation import ConfigError
from mmssl.utils.json_report import emit_json_report

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='Run a benchmark grid and write its leaderboard')
    parser.add_argument('spec', help='grid spec (Python config)')
    parser.add_argument('--work-dir', required=True,
                        help='one sub-directory per cell')
    parser.add_argument('--out-dir',
                        help='leaderboard directory (default: --work-dir)')
    parser.add_argument('--cell', action='append',
                        help='only cells whose name matches this glob '
                        '(repeatable)')
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument('--dry-run', action='store_true',
                      help='materialise and validate every cell, list them')
    mode.add_argument('--collect', action='store_true',
                      help='only write the leaderboard of finished cells')
    mode.add_argument('--emit', choices=('slurm', 'commands'),
                      help='print a SLURM array script or dist_train.sh '
                      'commands (configs are materialised first)')
    parser.add_argument('--partition', default='gpu',
                        help='SLURM partition (--emit slurm)')
    parser.add_argument('--gpus', type=int, default=1,
                        help='GPUs per cell (--emit)')
    parser.add_argument('--metric',
                        help='metric of the plots (default: the first)')
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    quiet_ffmpeg()
    register_all_modules(init_default_scope=False)
    spec = load_grid_spec(args.spec, REPO)
    cells = select_cells(spec, args.cell)
    if args.emit:
        prepare_grid(spec, cells, args.work_dir)
        text = (slurm_array_script(spec, cells, args.work_dir,
                                   args.partition, args.gpus)
                if args.emit == 'slurm' else dist_train_commands(
                    spec, cells, args.work_dir, REPO, args.gpus))
        print(text, end='')
        return dict(emitted=args.emit, cells=[c.name for c in cells])
    if args.dry_run:
        prepare_grid(spec, cells, args.work_dir)
        return emit_json_report(dict(spec=args.spec, valid=True,
                                     cells=[c.as_dict() for c in cells]))
    states = {}
    if not args.collect:
        with tqdm(total=len(cells), unit='cell', desc='grid') as bar:
            records = run_grid(spec, cells, args.work_dir, REPO,
                               log=tqdm.write,
                               progress=lambda _: bar.update(1))
        states = {r['cell']: r['state'] for r in records}
    board = collect_grid(spec, select_cells(spec, None), args.work_dir,
                         args.out_dir, args.metric)
    report = dict(spec=args.spec, work_dir=args.work_dir, states=states,
                  failed=board['failed'], missing=board['missing'],
                  files=board['files'], num_rows=len(board['rows']))
    emit_json_report(report, osp.join(args.out_dir or args.work_dir,
                                      'grid_report.json'))
    if board['failed'] and not args.collect:
        sys.exit(f'{len(board["failed"])} cell(s) failed: '
                 f'{board["failed"]} (the others finished; see their logs)')
    return report


if __name__ == '__main__':
    try:
        main()
    except (ConfigError, ValueError) as error:
        sys.exit(f'{type(error).__name__}: {error}')
