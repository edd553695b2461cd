"""End to end: one epoch of each tiny TCLR-family config with tools/train.py
on the tiny synthetic dataset, and a smoke run of the cost benchmark."""
import json
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch
from video_fixtures import synthmotion_cfg_options

import mmssl  # noqa: F401  (allow-lists safe checkpoint types)

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = {
    'tclr': ('configs/tclr/tclr_r3d-tiny_1xb8-8x32x32-11clips-30e_'
             'synthmotion.py', ('loss_ic', 'loss_ll', 'loss_gl')),
    'simplified': ('configs/stclr/simplified-tclr_r3d-tiny_1xb8-8x32x32-'
                   '10clips-30e_synthmotion.py', ('loss_ic', 'loss_sll')),
    'stclr': ('configs/stclr/stclr_r3d-tiny_1xb8-8x32x32-13clips-30e_'
              'synthmotion.py', ('loss_ic', 'loss_sll', 'loss_speedloc',
                                 'acc_speedloc', 'speedloc_cross_ratio')),
    'speedloc': ('configs/stclr/speedloc_r3d-tiny_1xb8-8x32x32-3clips-30e_'
            'synthmotion.py', ('loss_speedloc', 'acc_speedloc')),
}
FAST = [
    'train_dataloader.num_workers=0',
    'train_dataloader.persistent_workers=False',
    'default_hooks.logger.interval=1', 'default_hooks.checkpoint.interval=1',
    'train_cfg.max_epochs=1'
]


def run(args, timeout=900):
    env = dict(os.environ, PYTHONPATH=REPO)
    out = subprocess.run(
        args, cwd=REPO, env=env, capture_output=True, text=True,
        timeout=timeout)
    log = out.stdout + out.stderr
    assert out.returncode == 0, log[-4000:]
    return log


@pytest.mark.parametrize('name', sorted(CONFIGS))
def test_train_one_epoch(name, synthmotion, tmp_path):
    config, keys = CONFIGS[name]
    work_dir = str(tmp_path / name)
    # the one-cycle warm-up of the SpeedLoc config ends at epoch 9; its
    # cosine phase (end = max_epochs) must start before the single epoch
    schedule = ['param_scheduler.1.begin=0'] if name == 'speedloc' else []
    log = run([
        sys.executable, 'tools/train.py', config, '--work-dir', work_dir,
        '--cfg-options', *synthmotion_cfg_options(synthmotion), *FAST,
        *schedule
    ])
    # 16 training videos, batch 8 -> 2 iterations
    assert 'Epoch(train) [1][2/2]' in log
    for key in keys:
        assert f'{key}: ' in log, key
    assert osp.isfile(osp.join(work_dir, 'epoch_1.pth'))
    # the checkpoint loads with torch's weights_only unpickler (mmssl's
    # allow-list): no scheduler pickles objects into it
    ckpt = torch.load(osp.join(work_dir, 'epoch_1.pth'))
    if name != 'speedloc':
        # TrainLossPlateauHook stepped the plateau scheduler with the
        # epoch's mean training loss
        state = ckpt['param_schedulers'][0]
        assert state['last_step'] == 0 and 0 < state['best'] < 100
        assert 'TrainLossPlateauHook: epoch mean loss' in log


def test_benchmark_tool_smoke(synthmotion, tmp_path):
    out = str(tmp_path / 'bench.json')
    log = run([
        sys.executable, 'tools/analysis_tools/benchmark_tclr_family.py',
        '--iters', '1', '--warmup', '0', '--round-iters', '1',
        '--batch-size', '4', '--data-root', synthmotion, '--extra-reads',
        '--out', out
    ])
    assert 'vs TCLR' in log
    report = json.load(open(out))
    rows = {r['method']: r for r in report['methods']}
    assert rows['TCLR']['clips_per_video'] == 11
    assert rows['Simplified TCLR']['clips_per_video'] == 10
    assert rows['STCLR']['clips_per_video'] == 13
    assert rows['STCLR']['video_reads_per_iter'] == 4
    assert rows['STCLR + extra reads']['video_reads_per_iter'] >= 4
    for r in rows.values():
        assert r['median_iter_ms'] > 0 and r['peak_rss_mb'] > 0


def test_train_tool_randomness_without_a_config_seed():
    """Paper-setting configs have no ``randomness``; tools/train.py must
    still give MMEngine's Runner a ``seed`` (None: a random one)."""
    import argparse
    import importlib.util

    from mmengine.config import Config
    spec = importlib.util.spec_from_file_location(
        'mmssl_train_tool', osp.join(REPO, 'tools', 'train.py'))
    train_tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train_tool)
    cfg = Config.fromfile(osp.join(
        REPO, 'configs/tclr/tclr_r3d-18_1xb40-16x112x112-400e_ucf101-'
        'split1.py'))
    args = argparse.Namespace(seed=None, diff_rank_seed=False,
                              deterministic=False)
    train_tool.merge_randomness(cfg, args)
    assert cfg.randomness == dict(seed=None)
    args.seed = 3
    train_tool.merge_randomness(cfg, args)
    assert cfg.randomness == dict(seed=3)
