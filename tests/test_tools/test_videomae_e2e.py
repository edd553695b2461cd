"""End to end: VideoMAE's tiny configs (ViT and the CNN variant) through
tools/train.py (6 epochs) and the retrieval tool, on the tiny synthetic
dataset."""
import glob
import json
import os
import os.path as osp
import subprocess
import sys

import torch
from video_fixtures import synthmotion_cfg_options

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
FAST = [
    'train_dataloader.num_workers=0',
    'train_dataloader.persistent_workers=False',
    'test_dataloader.num_workers=0', 'default_hooks.logger.interval=1'
]
VIDEOMAE_TINY = osp.join(
    REPO, 'configs/videomae/'
    'videomae_vit-tiny-p8_1xb8-8x32x32-mask0.9-40e_synthmotion.py')


def run(args, timeout=600):
    """Run a command from the repo root, return its combined output."""
    out = subprocess.run(
        args,
        cwd=REPO,
        env=dict(os.environ, PYTHONPATH=REPO),
        capture_output=True,
        text=True,
        timeout=timeout)
    log = out.stdout + out.stderr
    assert out.returncode == 0, log[-4000:]
    return log


def test_train_then_retrieval(synthmotion, tmp_path):
    work_dir = str(tmp_path / 'videomae')
    log = run([
        sys.executable, 'tools/train.py', VIDEOMAE_TINY, '--work-dir',
        work_dir, '--cfg-options', *synthmotion_cfg_options(synthmotion),
        # 6 epochs: past the 5-epoch warm-up, so the cosine phase (which
        # ends at max_epochs) is a valid schedule
        *FAST, 'train_cfg.max_epochs=6', 'default_hooks.checkpoint.interval=6'
    ])
    # 16 train videos, batch 8 -> 2 iterations per epoch
    assert 'Epoch(train) [6][2/2]' in log
    ckpt = osp.join(work_dir, 'epoch_6.pth')
    assert osp.isfile(ckpt)
    scalars = glob.glob(osp.join(work_dir, '*/vis_data/scalars.json'))
    records = [json.loads(line) for line in open(scalars[0])]
    losses = [r['loss_pixel'] for r in records if 'loss_pixel' in r]
    assert losses and all(0 < v < 10 for v in losses)
    state = torch.load(ckpt, map_location='cpu')['state_dict']
    assert 'backbone.patch_embed.projection.weight' in state
    assert 'neck.mask_token' in state

    out = str(tmp_path / 'retrieval.json')
    run([
        sys.executable, 'tools/analysis_tools/retrieval.py', VIDEOMAE_TINY,
        ckpt, '--out', out, '--cfg-options',
        *synthmotion_cfg_options(synthmotion),
        'test_dataloader.num_workers=0'
    ])
    report = json.load(open(out))
    assert report['num_gallery'] == 16 and report['num_query'] == 8
    assert 0.0 <= report['R@1'] <= report['R@5'] <= 1.0


VIDEOMAE_CNN_TINY = osp.join(
    REPO, 'configs/videomae/'
    'videomae-cnn_r3d-tiny_1xb8-8x32x32-mask0.9-40e_synthmotion.py')


def test_cnn_variant_trains(synthmotion, tmp_path):
    """VideoMAE* on the tiny R3D (masked cubes blanked, conv decoder)."""
    work_dir = str(tmp_path / 'videomae_cnn')
    log = run([
        sys.executable, 'tools/train.py', VIDEOMAE_CNN_TINY, '--work-dir',
        work_dir, '--cfg-options', *synthmotion_cfg_options(synthmotion),
        # 6 epochs: past the 5-epoch warm-up, so the cosine phase is built
        *FAST, 'train_cfg.max_epochs=6', 'default_hooks.checkpoint.interval=6'
    ])
    assert 'Epoch(train) [6][2/2]' in log
    scalars = glob.glob(osp.join(work_dir, '*/vis_data/scalars.json'))
    records = [json.loads(line) for line in open(scalars[0])]
    losses = [r['loss_pixel'] for r in records if 'loss_pixel' in r]
    assert len(losses) == 12 and all(0 < v < 10 for v in losses)
    state = torch.load(
        osp.join(work_dir, 'epoch_6.pth'), map_location='cpu')['state_dict']
    assert 'backbone.conv1.conv.weight' in state
    assert 'neck.pred.weight' in state
