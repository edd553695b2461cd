"""Issue 14 item 2: on --resume, schedules follow the current max_epochs."""
import os.path as osp

import pytest
import torch
from mmengine.hooks import Hook
from toy_runner import toy_runner

COSINE = [dict(type='CosineAnnealingLR', eta_min=1e-3, by_epoch=True)]
WARMUP_COSINE = [
    dict(
        type='LinearLR',
        start_factor=0.1,
        begin=0,
        end=1,
        by_epoch=True,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        eta_min=1e-3,
        begin=1,
        by_epoch=True,
        convert_to_iter_based=True)
]
PLATEAU = [
    dict(type='ReduceOnPlateauLR', monitor='loss', factor=0.5, patience=0)
]


class RecordLr(Hook):
    """Record (iteration, lr) before every training iteration."""

    def __init__(self):
        self.lrs = {}

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        lr = runner.optim_wrapper.optimizer.param_groups[0]['lr']
        self.lrs[runner.iter] = lr


def train(work_dir, max_epochs, schedule, resume=False, **kwargs):
    recorder = RecordLr()
    runner = toy_runner(
        str(work_dir),
        max_epochs,
        schedule,
        resume=resume,
        custom_hooks=[recorder],
        **kwargs)
    runner.train()
    return runner, recorder.lrs


@pytest.mark.parametrize(
    'schedule,end', [(COSINE, 4), (WARMUP_COSINE, 16)],
    ids=['cosine', 'warmup+cosine-per-iteration'])
def test_resume_with_more_epochs_follows_the_new_schedule(
        tmp_path, schedule, end):
    _, straight = train(tmp_path / 'straight', 4, schedule)
    train(tmp_path / 'short', 2, schedule)
    runner, resumed = train(tmp_path / 'short', 4, schedule, resume=True)
    assert runner.iter == 16 and min(resumed) == 8
    # before the fix the lr stayed at the 2-epoch run's final value
    assert len(set(resumed.values())) > 1
    for it, lr in resumed.items():
        assert lr == pytest.approx(straight[it], rel=1e-9), it
    # 4 epochs, or 4 x 4 iterations
    assert runner.param_schedulers[-1].end == end


def test_unchanged_schedule_resumes_exactly(tmp_path):
    _, straight = train(tmp_path / 'straight', 4, COSINE)
    train(tmp_path / 'run', 4, COSINE, checkpoint=dict(interval=2))
    ckpt = torch.load(osp.join(tmp_path, 'run', 'epoch_2.pth'),
                      weights_only=False)
    # resume from epoch 2 of the 4-epoch run itself: no rewrite needed
    _, resumed = train(
        tmp_path / 'run', 4, COSINE, resume=True,
        load_from=osp.join(tmp_path, 'run', 'epoch_2.pth'))
    assert ckpt['param_schedulers'][0]['end'] == 4
    for it, lr in resumed.items():
        assert lr == straight[it]


def test_plateau_schedule_keeps_progress_and_extends_end(tmp_path):
    from mmssl.engine.hooks import TrainLossPlateauHook
    runner = toy_runner(
        str(tmp_path), 2, PLATEAU,
        custom_hooks=[TrainLossPlateauHook()])
    runner.train()
    saved = torch.load(osp.join(tmp_path, 'epoch_2.pth'),
                       weights_only=False)['param_schedulers'][0]
    assert saved['end'] == 2
    runner = toy_runner(
        str(tmp_path), 4, PLATEAU, resume=True,
        custom_hooks=[TrainLossPlateauHook()])
    runner.train()
    scheduler = runner.param_schedulers[0]
    assert scheduler.end == 4
    # stepped with the epoch losses of epochs 3 and 4 (before the fix end
    # stayed 2 and the scheduler ignored them): a new best or a lr drop
    lr = runner.optim_wrapper.optimizer.param_groups[0]['lr']
    assert scheduler.best < saved['best'] or lr < saved['_last_value'][0]


def test_changed_chain_with_plateau_is_refused(tmp_path):
    chain = [dict(type='CosineAnnealingLR', eta_min=1e-3, by_epoch=True)
             ] + PLATEAU
    toy_runner(str(tmp_path), 2, chain).train()
    runner = toy_runner(str(tmp_path), 4, chain, resume=True)
    with pytest.raises(RuntimeError, match='ReduceOnPlateau'):
        runner.train()
