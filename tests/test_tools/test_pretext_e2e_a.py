"""End to end: one epoch of tools/train.py for each tiny RotNet-3D, PRP and
VCOP-complexity config on the tiny synthetic dataset (subprocess)."""
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
    'configs/rotnet/rotnet_r3d-tiny_1xb8-8x32x32-2rot-40e_synthmotion.py':
    ('loss_rot', 'acc_rot'),
    'configs/rotnet/rotnet_r3d-tiny_1xb8-8x32x32-3rot-40e_synthmotion.py':
    ('loss_rot', 'acc_rot'),
    'configs/rotnet/rotnet_r3d-tiny_1xb8-8x32x32-4rot-40e_synthmotion.py':
    ('loss_rot', 'acc_rot'),
    'configs/prp/prp_r3d-tiny_1xb8-6x32x32-2rates-40e_synthmotion.py':
    ('loss_rate', 'acc_rate', 'loss_recon'),
    'configs/prp/prp_r3d-tiny_1xb8-6x32x32-3rates-40e_synthmotion.py':
    ('loss_rate', 'acc_rate', 'loss_recon'),
    'configs/prp/prp_r3d-tiny_1xb8-6x32x32-4rates-40e_synthmotion.py':
    ('loss_rate', 'acc_rate', 'loss_recon'),
    'configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-4clips-40e_synthmotion.py':
    ('loss_order', 'acc_order'),
    'configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-5clips-40e_synthmotion.py':
    ('loss_order', 'acc_order'),
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
    # 16 training videos, batch 8 -> 2 iterations
    assert 'Epoch(train) [1][2/2]' in log
    for key in TINY[config]:
        assert f'{key}: ' in log, key
    ckpt = torch.load(osp.join(work_dir, 'epoch_1.pth'), map_location='cpu')
    assert any(k.startswith('backbone.') for k in ckpt['state_dict'])
