"""End to end: one iteration of tools/train.py with the tiny joint CSVR
config (all three branches, per-module optimizers through MMEngine's
runner) on an 8-video articulated SynthMotion."""
import os
import os.path as osp
import subprocess
import sys

import torch

import mmssl  # noqa: F401  (allow-lists checkpoint types for torch.load)
from mmssl.datasets.synthmotion.articulated import ensure_articulated

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIG = ('configs/csvr/'
          'csvr-joint_r3d-tiny_1xb8-8x32x32-5e_synthmotion-articulated.py')


def test_tiny_joint_config_trains_one_iteration(tmp_path):
    root = str(tmp_path / 'art')
    ensure_articulated(root, num_train_per_class=1, num_val_per_class=1,
                       num_frames=72, size=(40, 40))
    work_dir = str(tmp_path / 'work')
    env = dict(os.environ, PYTHONPATH=REPO, OMP_NUM_THREADS='1')
    out = subprocess.run([
        sys.executable, 'tools/train.py', CONFIG, '--work-dir', work_dir,
        '--cfg-options', f'train_dataloader.dataset.ann_file={root}/'
        'train_list.txt', f'train_dataloader.dataset.data_prefix.video={root}',
        f'train_dataloader.dataset.pipeline.2.pose_file={root}/poses.pkl',
        'train_dataloader.dataset.generate_if_missing=None',
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'model.stage_checkpoints=None', 'default_hooks.logger.interval=1',
        'train_cfg.max_epochs=1'
    ], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    log = out.stdout + out.stderr
    assert out.returncode == 0, log[-4000:]
    assert 'Epoch(train) [1][1/1]' in log
    for key in ('loss_pose_d', 'pose_gp', 'loss_pose_l2', 'loss_context',
                'acc_context', 'loss_reconstruct_d', 'loss_predict_g',
                'predictor_discriminator.lr', 'iframe_backbone.lr'):
        assert f'{key}: ' in log, key
    state = torch.load(
        osp.join(work_dir, 'epoch_1.pth'), map_location='cpu')
    assert {'backbone', 'iframe_backbone', 'pose_generator',
            'video_predictor'} <= {k.split('.')[0]
                                   for k in state['state_dict']}
    assert len(state['optimizer']) == 12  # one state per module optimizer
