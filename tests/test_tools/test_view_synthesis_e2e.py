"""End to end: tools/train.py on the tiny view-synthesis config (two
optimizers through PerModuleOptimWrapperConstructor and the custom
train_step), then its checkpoint loads into the SSL stage's generator."""
import os
import os.path as osp
import subprocess
import sys

import torch

from mmssl.registry import MODELS

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = ('configs/segment_rate_order/view_synthesis/'
          'view-synthesis_vae-tiny-flow_1xb8-8x32x32-20e_synthmotion.py')


def test_tiny_view_synthesis_trains_and_its_generator_loads(
        synthmotion, tmp_path):
    work_dir = str(tmp_path / 'work')
    env = dict(os.environ, PYTHONPATH=REPO, OMP_NUM_THREADS='1')
    out = subprocess.run([
        sys.executable, 'tools/train.py', CONFIG, '--work-dir', work_dir,
        '--cfg-options',
        f'train_dataloader.dataset.ann_file={synthmotion}/train_list.txt',
        f'train_dataloader.dataset.data_prefix.video={synthmotion}',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'default_hooks.logger.interval=1',
        'default_hooks.checkpoint.interval=1', 'train_cfg.max_epochs=1'
    ],
                         cwd=REPO,
                         env=env,
                         capture_output=True,
                         text=True,
                         timeout=600)
    log = out.stdout + out.stderr
    assert out.returncode == 0, log[-4000:]
    # 16 training videos, batch 8 -> 2 iterations; both optimizers' lr
    assert 'Epoch(train) [1][2/2]' in log
    for key in ('generator.lr', 'flow_estimator.lr', 'loss_kl',
                'loss_info_max', 'loss_info_min', 'loss_photometric',
                'photometric_zero_flow'):
        assert f'{key}: ' in log, key
    ckpt = osp.join(work_dir, 'epoch_1.pth')
    vae = MODELS.build(
        dict(type='ViewSynthesisVAE', base_channels=16, latent_channels=8,
             init_cfg=dict(type='Pretrained', checkpoint=ckpt,
                           prefix='generator.')))
    vae.init_weights()
    state = torch.load(ckpt, map_location='cpu')['state_dict']
    for key, value in vae.state_dict().items():
        assert torch.equal(value, state[f'generator.{key}']), key
