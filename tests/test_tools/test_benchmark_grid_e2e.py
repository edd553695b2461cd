"""tools/benchmark/grid.py end to end on the tiny SynthMotion fixture: one
cell (RotNet C1, tiny R3D, one epoch = 2 iterations) pretrained and
evaluated by the real tools, its leaderboard written; then the same grid
with a second seed whose training fails: the finished cell is skipped
(resumable), the failure is recorded and reported, the leaderboard still
holds the finished cell. The ``robustness`` protocol: a cell fine-tuned by
``evaluate.py``'s ``finetune`` protocol, its classifier scored by
``noise_robustness.py``, the leaderboard's robustness column the mean of
the report's relative robustness scores; bad requests fail at spec load
with one line."""
import json
import os.path as osp
import sys

import pytest
from tool_modules import load_tool

from mmssl.benchmark import (collect_grid, dist_train_commands,
                             load_grid_spec, run_grid, select_cells)
from mmssl.benchmark import cell_runner
from mmssl.benchmark.leaderboard import study_table
from mmssl.utils.config_validation import ConfigError

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
ROTNET = 'configs/rotnet/rotnet_r3d-tiny_1xb8-8x32x32-2rot-40e_synthmotion.py'
LOADERS = ('num_workers=0', 'persistent_workers=False')
FT_OPTIONS = ['train_cfg.max_epochs=3', 'train_cfg.val_interval=3',
              'default_hooks.checkpoint.interval=3'] + [
                  f'{loader}.{option}' for loader in (
                      'train_dataloader', 'val_dataloader',
                      'test_dataloader') for option in LOADERS]


def _spec(tmp_path, data_root, seeds, protocols=('retrieval', 'knn'),
          robustness=None):
    # retrieval + knn: one feature extraction
    path = tmp_path / f'grid_{len(seeds)}.py'
    path.write_text(f'''
tasks = dict(rotnet=dict(category='S', levels=dict(C1={ROTNET!r})))
backbones = {{'r3d-tiny': None}}
protocols = {list(protocols)!r}
seeds = {seeds!r}
data_root = {data_root!r}
finetune_cfg_options = {FT_OPTIONS if 'finetune' in protocols else []!r}
cfg_options = dict(
    train_cfg=dict(max_epochs=1),
    default_hooks=dict(checkpoint=dict(interval=1), logger=dict(interval=1)),
    custom_hooks=[],
    train_dataloader=dict(batch_size=8, num_workers=0,
                          persistent_workers=False),
    test_dataloader=dict(num_workers=0, persistent_workers=False))
''' + (f'protocol_options = dict(robustness={robustness!r})\n'
       if robustness is not None else ''))
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


@pytest.mark.parametrize('protocols,robustness,message', [
    (['knn', 'robustness'], {}, 'add "finetune" to protocols'),
    (['finetune', 'robustness'], dict(noise=['gaussian']),
     "unknown protocol_options.robustness keys ['noise']"),
    (['finetune', 'robustness'], dict(noises=['fog']), "bad: ['fog']"),
    (['finetune', 'robustness'], dict(severities=[6]), 'bad: [6]'),
    (['finetune'], dict(noises=['shot']),
     "protocol_options for protocols not in protocols: ['robustness']"),
    (['finetune', 'robustnes'], {}, "unknown ['robustnes']"),
])
def test_bad_robustness_requests_fail_at_spec_load(tmp_path, protocols,
                                                   robustness, message):
    with pytest.raises(ConfigError) as error:
        load_grid_spec(_spec(tmp_path, 'data', [0], protocols, robustness),
                       REPO)
    assert message in str(error.value) and '\n' not in str(error.value)


def test_grid_robustness_protocol_gives_the_leaderboard_column(
        tmp_path, synthmotion, monkeypatch):
    work = str(tmp_path / 'work')
    monkeypatch.setenv('OMP_NUM_THREADS', '1')
    options = dict(noises=['gaussian', 'impulse'], severities=[2, 5],
                   clips=1)
    spec_path = _spec(tmp_path, synthmotion, [0],
                      ['finetune', 'robustness'], options)
    report = load_tool('tools/benchmark/grid.py', 'grid_tool').main(
        [spec_path, '--work-dir', work])
    name = 'rotnet-C1_r3d-tiny_full_s0'
    assert report['states'] == {name: 'done'}, open(
        osp.join(work, name, 'robustness.log')).read()[-3000:]
    cell_dir = osp.join(work, name)
    record = json.load(open(osp.join(cell_dir, 'grid_cell.json')))
    finetune = record['results']['finetune']
    with open(osp.join(cell_dir, 'robustness', 'noise_robustness.json')) as f:
        robust = json.load(f)
    # the tool scored the fine-tuned classifier, on the fixture's val set
    assert robust['checkpoint'] == finetune['checkpoint']
    assert robust['num_videos'] == 8 and robust['seed'] == 0
    assert robust['clean_top1'] == pytest.approx(100 * finetune['top1'],
                                                 abs=0.01)
    assert set(robust['results']) == {'gaussian', 'impulse'}
    assert all([r['severity'] for r in rows] == [2, 5]
               for rows in robust['results'].values())
    scores = [r['relative_robustness']
              for rows in robust['results'].values() for r in rows]
    assert None not in scores, 'clean top-1 is 0: no robustness score'
    (row, ) = json.load(open(osp.join(work, 'leaderboard.json')))['rows']
    assert row['robustness'] == pytest.approx(sum(scores) / len(scores),
                                              abs=2e-4)
    assert '## robustness (relative robustness, lower is better), ' \
        'backbone r3d-tiny' in open(osp.join(work, 'leaderboard.md')).read()
    assert record['cost']['eval_wall_s'] > 0
    # the cluster command list runs the same tool after evaluate.py
    spec = load_grid_spec(spec_path, REPO)
    commands = dist_train_commands(spec, spec.cells(), work, REPO)
    assert (f'noise_robustness.py $(ls {cell_dir}/eval/finetune/*.py | '
            f'head -n 1) $(cat {cell_dir}/eval/finetune/last_checkpoint)'
            ) in commands
    assert '--noises gaussian impulse --severities 2 5 --num-clips 1' in \
        commands


def test_lowest_robustness_score_is_the_best():
    rows = [dict(task='vcop', category='T', level=level, backbone='b',
                 subset='full', seeds=[0], robustness=value,
                 **{'robustness std': 0.0})
            for level, value in (('C1', 0.0463), ('C3', 0.4))]
    table = study_table(rows, 'robustness', 'b')
    assert table[2] == '| full / C1 | **0.046** |'  # a fraction: 3 digits
    assert table[3] == '| full / C3 | 0.400 |'


def test_robustness_without_a_finetuned_classifier_names_what_to_add(
        tmp_path):
    from mmssl.benchmark.robustness import finetuned_classifier
    (tmp_path / 'evaluation.json').write_text(json.dumps(
        dict(results=dict(knn=dict(top1=12.5)))))
    with pytest.raises(FileNotFoundError,
                       match='add "finetune" to the grid\'s protocols'):
        finetuned_classifier(str(tmp_path))
