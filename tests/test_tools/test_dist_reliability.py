"""2-process CPU (gloo) training: only rank 0 writes logs and checkpoints,
and one crashing rank ends the whole job (issue 14, item 13).

One run of tools/dist_train.sh: rank 1 raises at the start of epoch 2 (a
hook loaded through ``custom_imports``). The job must exit non-zero in
bounded time (torchrun stops rank 0, which would otherwise wait forever in
DDP's gradient all-reduce), name the error, and leave exactly one log file
and the rank-0 checkpoint of epoch 1.
"""
import glob
import os
import os.path as osp
import subprocess
import textwrap

import torch
from video_fixtures import synthmotion_cfg_options

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
VCOP_TINY = osp.join(
    REPO, 'configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py')

CRASH_HOOK = '''
from mmengine.dist import get_rank
from mmengine.hooks import Hook

from mmssl.registry import HOOKS


@HOOKS.register_module()
class CrashOnRankHook(Hook):
    """Raise on one rank at the start of one (0-based) epoch."""

    def __init__(self, rank, epoch):
        self.rank, self.epoch = rank, epoch

    def before_train_epoch(self, runner):
        if get_rank() == self.rank and runner.epoch == self.epoch:
            raise RuntimeError(f'rank {self.rank} crashed on purpose')
'''


def test_rank0_only_outputs_and_one_rank_crash_ends_the_job(
        synthmotion, tmp_path):
    (tmp_path / 'crash_on_rank_hook.py').write_text(CRASH_HOOK)
    config = tmp_path / 'crash_config.py'
    config.write_text(
        textwrap.dedent(f'''\
        _base_ = [{VCOP_TINY!r}]
        custom_imports = dict(imports=['crash_on_rank_hook'])
        custom_hooks = [dict(type='CrashOnRankHook', rank=1, epoch=1)]
        '''))
    work_dir = tmp_path / 'work'
    env = dict(
        os.environ,
        PYTHONPATH=f'{REPO}:{tmp_path}',
        PORT='29533',
        OMP_NUM_THREADS='1')
    out = subprocess.run([
        'bash', 'tools/dist_train.sh',
        str(config), '2', '--work-dir',
        str(work_dir), '--cfg-options', *synthmotion_cfg_options(synthmotion),
        'train_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'test_dataloader.num_workers=0', 'default_hooks.logger.interval=1',
        'default_hooks.checkpoint.interval=1',
        'train_cfg.max_epochs=3'
    ],
                         cwd=REPO,
                         env=env,
                         capture_output=True,
                         text=True,
                         timeout=400)
    output = out.stdout + out.stderr
    assert out.returncode != 0, output[-3000:]
    assert 'rank 1 crashed on purpose' in output
    assert 'ChildFailedError' in output or 'failed' in output.lower()
    # rank 0 only: one log file, each training log line once, one checkpoint
    logs = glob.glob(f'{work_dir}/*/*.log')
    assert len(logs) == 1, logs
    text = open(logs[0]).read()
    assert text.count('Epoch(train) [1][1/1]') == 1
    assert 'Epoch(train) [2]' not in text
    assert sorted(osp.basename(p) for p in glob.glob(f'{work_dir}/*.pth')) \
        == ['epoch_1.pth']
    ckpt = torch.load(f'{work_dir}/epoch_1.pth', map_location='cpu')
    assert ckpt['meta']['epoch'] == 1
