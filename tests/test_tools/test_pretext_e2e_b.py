"""End to end: one epoch of tools/train.py for each tiny CVRL, TDL and
RSPNet config on the tiny synthetic dataset (subprocess, num_workers=0)."""
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

import mmssl  # noqa: F401  (allow-lists checkpoint types for torch.load)
from video_fixtures import synthmotion_cfg_options

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
FAST = [
    'train_dataloader.num_workers=0',
    'train_dataloader.persistent_workers=False',
    'test_dataloader.num_workers=0', 'default_hooks.logger.interval=1',
    'default_hooks.checkpoint.interval=1', 'train_cfg.max_epochs=1'
]
TINY = {
    'configs/cvrl/cvrl_r3d-tiny_1xb16-8x32x32-2clips-40e_synthmotion.py':
    ('loss_contrast', 'acc_contrast'),
    'configs/tdl/tdl_r3d-tiny_1xb16-8x32x32-triplet-40e_synthmotion.py':
    ('loss_contrast', 'acc_contrast', 'acc_temporal'),
    'configs/rspnet/rspnet_r3d-tiny_1xb16-8x32x32-speed1-2-40e_synthmotion.py':
    ('loss_rsp', 'loss_avid', 'acc_rsp', 'acc_avid'),
}


@pytest.mark.parametrize(
    'config', sorted(TINY), ids=[osp.basename(c) for c in sorted(TINY)])
def test_tiny_config_trains_one_epoch(config, synthmotion, tmp_path):
    work_dir = str(tmp_path / 'work')
    env = dict(os.environ, PYTHONPATH=REPO, OMP_NUM_THREADS='1')
    out = subprocess.run([
        sys.executable, 'tools/train.py', config, '--work-dir', work_dir,
        '--cfg-options', *synthmotion_cfg_options(synthmotion), *FAST
    ],
                         cwd=REPO,
                         env=env,
                         capture_output=True,
                         text=True,
                         timeout=600)
    log = out.stdout + out.stderr
    assert out.returncode == 0, log[-4000:]
    # 16 training videos, batch 16 -> 1 iteration
    assert 'Epoch(train) [1][1/1]' in log
    for key in TINY[config]:
        assert f'{key}: ' in log, key
    state = torch.load(
        osp.join(work_dir, 'epoch_1.pth'), map_location='cpu')['state_dict']
    assert any(k.startswith('backbone.') for k in state)
    if 'cvrl' not in config:
        # momentum encoder and queue are checkpointed; one optimizer step
        # enqueued the 16 keys of the batch
        assert any(k.startswith('momentum_encoder.backbone.') for k in state)
        assert state['queue.ptr'].item() == 16


def test_tdl_two_cpu_processes_post_step_wrapper(synthmotion, tmp_path):
    """tools/dist_train.sh with 2 gloo processes: the config's
    SSLDistributedDataParallel resolves in MMEngine's Runner and runs the
    momentum update / enqueue after DDP's step on every rank."""
    config = ('configs/tdl/'
              'tdl_r3d-tiny_1xb16-8x32x32-triplet-40e_synthmotion.py')
    work_dir = str(tmp_path / 'dist')
    env = dict(
        os.environ, PYTHONPATH=REPO, OMP_NUM_THREADS='1', PORT='29531')
    out = subprocess.run([
        'bash', 'tools/dist_train.sh', config, '2', '--work-dir', work_dir,
        '--cfg-options', *synthmotion_cfg_options(synthmotion), *FAST,
        'train_dataloader.batch_size=4'
    ],
                         cwd=REPO,
                         env=env,
                         capture_output=True,
                         text=True,
                         timeout=600)
    log = out.stdout + out.stderr
    assert out.returncode == 0, log[-4000:]
    assert 'Distributed training: True' in log
    # 16 videos / (2 processes x batch 4) = 2 iterations
    assert 'Epoch(train) [1][2/2]' in log
    state = torch.load(
        osp.join(work_dir, 'epoch_1.pth'), map_location='cpu')['state_dict']
    # 2 optimizer steps x 8 keys gathered from both ranks
    assert state['queue.ptr'].item() == 16
