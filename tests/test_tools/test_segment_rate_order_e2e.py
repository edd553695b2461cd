"""End to end: one epoch of tools/train.py with the tiny segment sample-rate
order config (issue 11) on the session's tiny SynthMotion (16 training
videos, batch 16: one iteration)."""
import os
import os.path as osp
import subprocess
import sys

import torch

import mmssl  # noqa: F401  (allow-lists checkpoint types for torch.load)
from video_fixtures import synthmotion_cfg_options

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = ('configs/segment_rate_order/'
          'sro_r3d-tiny_1xb16-12x32x32-resframes-40e_synthmotion.py')


def test_tiny_config_trains_one_epoch(synthmotion, tmp_path):
    work_dir = str(tmp_path / 'work')
    env = dict(os.environ, PYTHONPATH=REPO, OMP_NUM_THREADS='1')
    out = subprocess.run([
        sys.executable, 'tools/train.py', CONFIG, '--work-dir', work_dir,
        '--cfg-options', *synthmotion_cfg_options(synthmotion),
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'default_hooks.logger.interval=1', 'train_cfg.max_epochs=1'
    ],
                         cwd=REPO,
                         env=env,
                         capture_output=True,
                         text=True,
                         timeout=600)
    log = out.stdout + out.stderr
    assert out.returncode == 0, log[-4000:]
    assert 'Epoch(train) [1][1/1]' in log
    for key in ('loss_order', 'acc_order', 'loss_rate', 'rate_mae',
                'loss_contrast', 'acc_contrast'):
        assert f'{key}: ' in log, key
    state = torch.load(
        osp.join(work_dir, 'epoch_1.pth'), map_location='cpu')['state_dict']
    assert any(k.startswith('momentum_encoder.backbone.') for k in state)
    # one optimizer step enqueued the 16 keys of the batch
    assert state['queue.ptr'].item() == 16
