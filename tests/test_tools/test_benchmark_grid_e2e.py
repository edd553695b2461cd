"""tools/benchmark/grid.py end to end on the tiny SynthMotion fixture: one
cell (RotNet C1, tiny R3D, one epoch = 2 iterations) pretrained and
evaluated by the real tools, its leaderboard written; then the same grid
with a second seed whose training fails: the finished cell is skipped
(resumable), the failure is recorded and reported, the leaderboard still
holds the finished cell."""
import json
import os.path as osp
import sys

from tool_modules import load_tool

from mmssl.benchmark import (collect_grid, load_grid_spec, run_grid,
                             select_cells)
from mmssl.benchmark import cell_runner

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
ROTNET = 'configs/rotnet/rotnet_r3d-tiny_1xb8-8x32x32-2rot-40e_synthmotion.py'


def _spec(tmp_path, data_root, seeds):
    path = tmp_path / f'grid_{len(seeds)}.py'
    path.write_text(f'''
tasks = dict(rotnet=dict(category='S', levels=dict(C1={ROTNET!r})))
backbones = {{'r3d-tiny': None}}
protocols = ['retrieval', 'knn']  # one feature extraction
seeds = {seeds!r}
data_root = {data_root!r}
cfg_options = dict(
    train_cfg=dict(max_epochs=1),
    default_hooks=dict(checkpoint=dict(interval=1), logger=dict(interval=1)),
    custom_hooks=[],
    train_dataloader=dict(batch_size=8, num_workers=0,
                          persistent_workers=False),
    test_dataloader=dict(num_workers=0, persistent_workers=False))
''')
    return str(path)


def test_grid_runs_a_cell_resumes_and_reports_a_failed_one(
        tmp_path, synthmotion, monkeypatch):
    work = str(tmp_path / 'work')
    monkeypatch.setenv('OMP_NUM_THREADS', '1')
    report = load_tool('tools/benchmark/grid.py', 'grid_tool').main(
        [_spec(tmp_path, synthmotion, [0]), '--work-dir', work])
    assert report['states'] == {'rotnet-C1_r3d-tiny_full_s0': 'done'}
    cell_dir = osp.join(work, 'rotnet-C1_r3d-tiny_full_s0')
    record = json.load(open(osp.join(cell_dir, 'grid_cell.json')))
    assert record['state'] == 'done'
    # the grid's numbers are the evaluation tool's
    evaluation = json.load(open(osp.join(cell_dir, 'eval',
                                         'evaluation.json')))
    assert record['results'] == evaluation['results']
    cost = record['cost']
    assert cost['pretrain_wall_s'] > 0 and cost['cpu_hours'] > 0
    assert cost['peak_rss_mb'] > 50 and cost['clips_per_s'] > 0
    assert cost['gpu_hours'] == 0  # CPU machine
    assert 'loss' in record['pretext']
    board = json.load(open(osp.join(work, 'leaderboard.json')))
    (row, ) = board['rows']
    assert row['knn top-1'] == evaluation['results']['knn']['top1']
    assert row['retrieval R@1'] == round(
        100 * evaluation['results']['retrieval']['R@1'], 2)
    markdown = open(osp.join(work, 'leaderboard.md')).read()
    assert '| subset / level | rotnet (S) |' in markdown
    assert 'pretrain_wall_s' in markdown
    header = open(osp.join(work, 'leaderboard.csv')).readline()
    assert header.startswith('task,category,level,backbone,subset')

    # second seed fails in training; seed 0 is not rerun
    spec = load_grid_spec(_spec(tmp_path, synthmotion, [0, 1]), REPO)
    calls = []

    def failing_train(repo, config, cell_dir):
        calls.append(cell_dir)
        return [sys.executable, '-c', 'import sys; print("boom"); '
                'sys.exit(3)']

    monkeypatch.setattr(cell_runner, 'train_command', failing_train)
    records = run_grid(spec, select_cells(spec, None), work, REPO,
                       log=lambda message: None)
    assert [r['state'] for r in records] == ['skipped', 'failed']
    assert calls == [osp.join(work, 'rotnet-C1_r3d-tiny_full_s1')]
    assert records[1]['stage'] == 'pretrain' and 'boom' in \
        records[1]['error']
    board = collect_grid(spec, select_cells(spec, None), work)
    assert board['failed'] == ['rotnet-C1_r3d-tiny_full_s1']
    assert len(board['rows']) == 1 and board['rows'][0]['seeds'] == [0]
    assert 'rotnet-C1_r3d-tiny_full_s1' in open(
        osp.join(work, 'leaderboard.md')).read()
