"""End to end: the real tools on the tiny synthetic dataset, a few iterations.

Pretrain -> resume -> test (retrieval) -> retrieval tool -> fine-tune with
MMAction2's Recognizer3D (load_from) -> 2-process CPU training; refused
checkpoints and config errors end the tools with one clear line.
"""
import glob
import json
import os
import os.path as osp
import re
import subprocess
import sys

import pytest
import torch
from video_fixtures import synthmotion_cfg_options

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
VCOP_TINY = osp.join(
    REPO, 'configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py')
FINETUNE = osp.join(REPO,
                    'configs/benchmarks/finetune/r3d-tiny_finetune_synthmotion.py')
FAST = [
    'train_dataloader.num_workers=0', 'train_dataloader.persistent_workers=False',
    'test_dataloader.num_workers=0', 'default_hooks.logger.interval=1',
    'default_hooks.checkpoint.interval=1'
]


def run(args, env=None, timeout=600, expect_failure=False):
    """Run a command from the repo root, return its combined output (with
    ``expect_failure``: its stderr, asserting a non-zero exit)."""
    full_env = dict(os.environ, PYTHONPATH=REPO, **(env or {}))
    out = subprocess.run(
        args,
        cwd=REPO,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout)
    log = out.stdout + out.stderr
    if expect_failure:
        assert out.returncode != 0, log[-4000:]
        return out.stderr
    assert out.returncode == 0, log[-4000:]
    return log


def train(work_dir, root, *extra, config=VCOP_TINY, cfg_options=()):
    data_options = synthmotion_cfg_options(root)
    if config == FINETUNE:  # train/val lists, no retrieval test loader
        data_options = [o for o in data_options if 'test_dataloader' not in o]
        data_options += [
            f'val_dataloader.dataset.ann_file={root}/val_list.txt',
            f'val_dataloader.dataset.data_prefix.video={root}'
        ]
    return run([
        sys.executable, 'tools/train.py', config, '--work-dir', work_dir,
        *extra, '--cfg-options', *data_options, *FAST, *cfg_options
    ])


@pytest.fixture(scope='module')
def pretrained(synthmotion, tmp_path_factory):
    """Two epochs of VCOP (16 train videos, batch 8 -> 2 iters/epoch), the
    data given only as ``data_root`` and the seed as flags."""
    work_dir = str(tmp_path_factory.mktemp('vcop'))
    log = run([
        sys.executable, 'tools/train.py', VCOP_TINY, '--work-dir', work_dir,
        '--seed', '5', '--deterministic', '--cfg-options',
        f'data_root={synthmotion}', *FAST, 'train_cfg.max_epochs=2'
    ])
    return dict(work_dir=work_dir, log=log, root=synthmotion)


def test_train_flags_and_data_root_reach_the_run(pretrained):
    log = pretrained['log']
    assert '    seed: 5' in log and '    deterministic: True' in log
    assert f"ann_file='{pretrained['root']}/train_list.txt'" in log
    assert 'data/synthmotion' not in log


def test_train_writes_checkpoints_json_and_tensorboard_logs(pretrained):
    work_dir = pretrained['work_dir']
    assert osp.isfile(osp.join(work_dir, 'epoch_2.pth'))
    scalars = glob.glob(osp.join(work_dir, '*/vis_data/scalars.json'))
    assert scalars
    records = [json.loads(line) for line in open(scalars[0])]
    assert any('loss_order' in r for r in records)
    assert glob.glob(osp.join(work_dir, '*/vis_data/events.out.tfevents*'))
    assert 'Epoch(train) [2][2/2]' in pretrained['log']
    # FFmpeg's decoder chatter stays out of the console
    assert '[mpeg4 @' not in pretrained['log']


def test_resume_continues_iterations_and_optimizer_state(pretrained,
                                                         tmp_path):
    import shutil
    work_dir = str(tmp_path / 'resume')
    shutil.copytree(pretrained['work_dir'], work_dir)
    ckpt = torch.load(osp.join(work_dir, 'epoch_2.pth'))
    assert ckpt['meta']['iter'] == 4
    log = train(
        work_dir,
        pretrained['root'],
        '--resume',
        cfg_options=['train_cfg.max_epochs=3'])
    assert 'resumed epoch: 2, iter: 4' in log
    epochs_run = set(re.findall(r'Epoch\(train\) \[(\d+)\]', log))
    assert epochs_run == {'3'}
    final = torch.load(osp.join(work_dir, 'epoch_3.pth'))
    assert final['meta']['iter'] == 6 and final['meta']['epoch'] == 3
    # optimizer state continued from the checkpoint (momentum buffers moved
    # on from the saved ones rather than restarting from zero)
    saved = ckpt['optimizer']['state']
    resumed = final['optimizer']['state']
    assert saved.keys() == resumed.keys() and saved
    assert all('momentum_buffer' in v for v in resumed.values())


def test_resume_restores_optimizer_in_runner(pretrained):
    """In-process check that resume loads the saved optimizer state."""
    from mmengine.config import Config
    from mmengine.runner import Runner
    cfg = Config.fromfile(VCOP_TINY)
    cfg.merge_from_dict(
        dict(
            work_dir=pretrained['work_dir'],
            resume=True,
            load_from=osp.join(pretrained['work_dir'], 'epoch_2.pth')))
    cfg.train_dataloader.dataset.ann_file = osp.join(pretrained['root'],
                                                     'train_list.txt')
    cfg.train_dataloader.dataset.data_prefix.video = pretrained['root']
    cfg.train_dataloader.num_workers = 0
    cfg.train_dataloader.persistent_workers = False
    runner = Runner.from_cfg(cfg)
    runner.optim_wrapper = runner.build_optim_wrapper(runner.optim_wrapper)
    runner.param_schedulers = runner.build_param_scheduler(
        runner.param_schedulers)
    runner.load_or_resume()
    assert runner.iter == 4 and runner.epoch == 2
    saved = torch.load(cfg.load_from)['optimizer']['state']
    state = runner.optim_wrapper.state_dict()['state']
    for key, value in saved.items():
        assert torch.equal(state[key]['momentum_buffer'],
                           value['momentum_buffer'])


def test_test_tool_reports_retrieval(pretrained):
    ckpt = osp.join(pretrained['work_dir'], 'epoch_2.pth')
    log = run([
        sys.executable, 'tools/test.py', VCOP_TINY, '--work-dir',
        pretrained['work_dir'], '--cfg-options', f'load_from={ckpt}',
        *synthmotion_cfg_options(pretrained['root']),
        'test_dataloader.num_workers=0'
    ])
    # --cfg-options load_from is what is evaluated (it used to be dropped)
    assert f'Evaluating checkpoint {ckpt} (' in log
    assert 'epoch 2, iter 4); backbone loaded strictly' in log
    for k in (1, 5, 10, 20):
        assert f'retrieval/R@{k}:' in log


@pytest.mark.parametrize('tool', ['tools/test.py',
                                  'tools/analysis_tools/retrieval.py'])
def test_evaluation_refuses_a_checkpoint_that_does_not_fit(
        pretrained, tmp_path, tool):
    state = torch.load(osp.join(pretrained['work_dir'], 'epoch_2.pth'))
    state['state_dict'] = {
        key.replace('backbone.', 'encoder.'): value
        for key, value in state['state_dict'].items()
    }
    foreign = str(tmp_path / 'foreign.pth')
    torch.save(state, foreign)
    err = run([
        sys.executable, tool, VCOP_TINY, foreign, '--data-root',
        pretrained['root'], '--cfg-options', 'test_dataloader.num_workers=0'
    ],
              expect_failure=True)
    assert f'CheckpointMismatchError: checkpoint {foreign} does not fit' \
        in err
    assert re.search(r'missing \d+ keys: backbone\.conv1 \(\d+\)', err)
    assert re.search(r'encoder \(\d+\)', err)
    assert 'Traceback' not in err  # one line, not a deep crash


def test_retrieval_tool_json_for_pretrained_and_random(pretrained, tmp_path):
    ckpt = osp.join(pretrained['work_dir'], 'epoch_2.pth')
    reports = {}
    random_log = run([
        sys.executable, 'tools/test.py', VCOP_TINY, 'none', '--work-dir',
        str(tmp_path), '--data-root', pretrained['root'], '--cfg-options',
        'test_dataloader.num_workers=0'
    ])
    assert 'Evaluating a randomly initialised model (seed 0)' in random_log
    for name, weights in (('pretrained', ckpt), ('random', 'none')):
        out = str(tmp_path / f'{name}.json')
        run([
            sys.executable, 'tools/analysis_tools/retrieval.py', VCOP_TINY,
            weights, '--out', out, '--cfg-options',
            *synthmotion_cfg_options(pretrained['root']),
            'test_dataloader.num_workers=0'
        ])
        reports[name] = json.load(open(out))
    for report in reports.values():
        assert report['num_gallery'] == 16 and report['num_query'] == 8
        for k in (1, 5, 10, 20):
            assert 0.0 <= report[f'R@{k}'] <= 1.0
        assert report['R@1'] <= report['R@5'] <= report['R@10']
    assert reports['random']['checkpoint'] == 'random init'
    # the same random-init baseline in both tools (R@5 0.469 vs 0.594
    # before: test.py never called init_weights and seeded differently)
    for k in (1, 5, 10, 20):
        value = float(re.search(rf'retrieval/R@{k}: ([\d.]+)',
                                random_log).group(1))
        assert value == pytest.approx(reports['random'][f'R@{k}'], abs=1e-4)


def test_finetune_loads_pretrained_backbone(pretrained, tmp_path):
    ckpt = osp.join(pretrained['work_dir'], 'epoch_2.pth')
    log = train(
        str(tmp_path / 'ft'),
        pretrained['root'],
        config=FINETUNE,
        cfg_options=[
            f'load_from={ckpt}', 'train_cfg.max_epochs=1',
            'val_dataloader.num_workers=0',
            'val_dataloader.persistent_workers=False',
            'train_cfg.val_interval=1'
        ])
    assert f'Load checkpoint from {ckpt}' in log
    missing = re.findall(r'missing keys in source state_dict: (.*)', log)
    assert missing and all('backbone.' not in m for m in missing)
    assert 'acc/top1' in log


def test_dist_train_two_cpu_processes(synthmotion, tmp_path):
    work_dir = str(tmp_path / 'dist')
    log = run([
        'bash', 'tools/dist_train.sh', VCOP_TINY, '2', '--work-dir', work_dir,
        '--cfg-options', *synthmotion_cfg_options(synthmotion), *FAST,
        'train_cfg.max_epochs=1'
    ],
              env=dict(PORT='29517', OMP_NUM_THREADS='1'))
    assert 'Distributed training: True' in log
    assert "'backend': 'gloo'" in log or 'backend=gloo' in log or \
        "backend='gloo'" in log
    # 16 videos / (2 processes x batch 8) = 1 iteration per epoch
    assert 'Epoch(train) [1][1/1]' in log
    assert osp.isfile(osp.join(work_dir, 'epoch_1.pth'))


def test_resume_without_a_checkpoint_is_an_error(synthmotion, tmp_path):
    err = run([
        sys.executable, 'tools/train.py', VCOP_TINY, '--work-dir',
        str(tmp_path), '--resume', '--data-root', synthmotion
    ],
              expect_failure=True)
    assert err.strip().splitlines()[-1].startswith(
        f'NoCheckpointToResume: --resume: no checkpoint to resume from in '
        f'{tmp_path}')
    assert not os.listdir(tmp_path)  # nothing was trained


@pytest.mark.parametrize('option,line', [
    ('optim_wrapper.optimizer.type=SGDX',
     "ConfigError: optim_wrapper.optimizer.type='SGDX' is not a registered "
     "optimizer; did you mean 'SGD'"),
    ('model.head.in_channels=64',
     'ConfigError: model.head.in_channels=64 does not fit its input'),
])
def test_config_errors_name_the_key_in_one_line(synthmotion, tmp_path,
                                                option, line):
    err = run([
        sys.executable, 'tools/train.py', VCOP_TINY, '--work-dir',
        str(tmp_path), '--data-root', synthmotion, '--cfg-options', *FAST,
        option
    ],
              expect_failure=True)
    assert err.strip().splitlines()[-1].startswith(line)
    assert 'Traceback' not in err
