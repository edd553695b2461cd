"""Issue 14 item 3 on a toy runner: draws depend on (seed, epoch, sample)
and (seed, iteration); epoch and mid-epoch resumes continue exactly."""
import os.path as osp

import pytest
import torch
from mmengine.hooks import Hook
from toy_runner import toy_runner

COSINE = [dict(type='CosineAnnealingLR', eta_min=1e-3, by_epoch=True)]


class RecordBatches(Hook):
    """Record (iteration -> sample indices and drawn features)."""

    def __init__(self):
        self.batches = {}

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self.batches[runner.iter] = (
            [int(t) for t in data_batch['data_samples']],
            torch.stack(data_batch['inputs']).clone())


def train(work_dir, max_epochs, **kwargs):
    recorder = RecordBatches()
    runner = toy_runner(
        str(work_dir), max_epochs, COSINE, custom_hooks=[recorder], **kwargs)
    runner.train()
    return runner, recorder.batches


def assert_same_state(a, b):
    state_a, state_b = a.model.state_dict(), b.model.state_dict()
    assert state_a.keys() == state_b.keys()
    for key in state_a:
        assert torch.equal(state_a[key], state_b[key]), key
    opt_a = a.optim_wrapper.state_dict()['state']
    opt_b = b.optim_wrapper.state_dict()['state']
    for key in opt_a:
        for name, value in opt_a[key].items():
            assert torch.equal(value, opt_b[key][name]), (key, name)


@pytest.mark.parametrize('persistent', [True, False])
def test_every_epoch_draws_anew(tmp_path, persistent):
    _, batches = train(
        tmp_path, 2, num_workers=1, persistent_workers=persistent)
    epoch1 = torch.cat([batches[i][1] for i in range(4)])
    epoch2 = torch.cat([batches[i][1] for i in range(4, 8)])
    # before: the worker's RNG restarted (or, resumed, continued) the same
    # stream, so the k-th sample of every epoch got the k-th draw
    assert not torch.equal(epoch1, epoch2)


def test_draws_depend_on_sample_not_on_workers(tmp_path):
    drawn = {}
    for workers in (0, 2):
        _, batches = train(tmp_path / str(workers), 1, num_workers=workers)
        drawn[workers] = {
            i: x
            for indices, feats in batches.values()
            for i, x in zip(indices, feats)
        }
    assert drawn[0].keys() == drawn[2].keys()
    for i in drawn[0]:
        assert torch.equal(drawn[0][i], drawn[2][i]), i


@pytest.mark.parametrize('persistent', [True, False])
def test_epoch_resume_is_bit_identical(tmp_path, persistent):
    kwargs = dict(num_workers=1, persistent_workers=persistent)
    straight, _ = train(tmp_path / 'straight', 4, **kwargs)
    ckpt = osp.join(tmp_path, 'straight', 'epoch_2.pth')
    resumed, batches = train(
        tmp_path / 'resumed', 4, resume=True, load_from=ckpt, **kwargs)
    assert min(batches) == 8 and resumed.iter == 16
    assert_same_state(straight, resumed)


def test_resume_is_exact_without_a_configured_seed(tmp_path):
    """MMEngine draws a seed and restores it on resume, but the sampler was
    built with the resumed run's own fresh seed (another order)."""
    straight, _ = train(tmp_path / 'straight', 4, seed=None)
    ckpt = osp.join(tmp_path, 'straight', 'epoch_2.pth')
    resumed, _ = train(
        tmp_path / 'resumed', 4, resume=True, load_from=ckpt, seed=None)
    assert resumed.seed == straight.seed
    assert_same_state(straight, resumed)


@pytest.mark.parametrize('workers', [0, 1])
def test_mid_epoch_resume_continues_at_the_next_sample(tmp_path, workers):
    kwargs = dict(num_workers=workers, persistent_workers=workers > 0)
    straight, expected = train(
        tmp_path / 'straight', 2,
        checkpoint=dict(by_epoch=False, interval=3), **kwargs)
    ckpt = osp.join(tmp_path, 'straight', 'iter_6.pth')
    meta = torch.load(ckpt, weights_only=False)['meta']
    assert (meta['epoch'], meta['iter']) == (1, 6)  # 2 of epoch 2's 4 done
    resumed, batches = train(
        tmp_path / 'resumed', 2, resume=True, load_from=ckpt, **kwargs)
    # before: MMEngine restarted epoch 2 at its first batch (iterations
    # 6..9 re-used the samples of 4, 5)
    assert sorted(batches) == [6, 7] and resumed.iter == 8
    for it in (6, 7):
        assert batches[it][0] == expected[it][0]
        assert torch.equal(batches[it][1], expected[it][1])
    assert_same_state(straight, resumed)


class RecordEpochMeans(Hook):
    """The epoch mean loss TrainLossPlateauHook stepped the scheduler with."""

    priority = 'LOWEST'

    def __init__(self):
        self.means = {}

    def after_train_epoch(self, runner):
        self.means[runner.epoch] = runner.message_hub.get_scalar(
            'plateau/epoch_mean_loss').current()


def test_mid_epoch_resume_keeps_the_plateau_hooks_epoch_mean(tmp_path):
    from mmssl.engine.hooks import TrainLossPlateauHook
    plateau = [
        dict(type='ReduceOnPlateauLR', monitor='loss', factor=0.5, patience=0)
    ]

    def run(work_dir, **kwargs):
        means = RecordEpochMeans()
        runner = toy_runner(
            str(work_dir), 3, plateau,
            checkpoint=dict(by_epoch=False, interval=3),
            custom_hooks=[TrainLossPlateauHook(), means], **kwargs)
        runner.train()
        return runner, means.means

    straight, expected = run(tmp_path / 'straight')
    resumed, means = run(
        tmp_path / 'resumed', resume=True,
        load_from=osp.join(tmp_path, 'straight', 'iter_6.pth'))
    # before: epoch 2's mean covered only the 2 iterations after the resume
    assert means == {1: expected[1], 2: expected[2]}
    assert_same_state(straight, resumed)
