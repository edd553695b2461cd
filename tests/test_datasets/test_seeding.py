"""Per-sample seeding (issue 14 item 3): SeededIndex, SampleSeededSampler,
and pretext labels that change every epoch."""
import os.path as osp
import pickle

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import DefaultSampler
from mmengine.hooks import Hook
from mmengine.runner import Runner

from mmssl.datasets.sample_seeding import (SAMPLE_STREAM, SampleSeedingMixin,
                                           SeededIndex, derive_seed)
from mmssl.datasets.samplers import SampleSeededSampler
from mmssl.utils.config_overrides import set_data_root

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
VCOP_TINY = osp.join(
    REPO, 'configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py')


def test_seeded_index_is_an_int_that_survives_pickling():
    idx = SeededIndex(5, seed=3, epoch=2)
    assert idx == 5 and [10, 11, 12, 13, 14, 15][idx] == 15
    back = pickle.loads(pickle.dumps(idx))
    assert isinstance(back, SeededIndex)
    assert (int(back), back.seed, back.epoch) == (5, 3, 2)


def test_derived_seeds_differ_by_epoch_index_and_stream():
    seeds = {
        derive_seed(0, SAMPLE_STREAM, epoch, index)
        for epoch in range(3) for index in range(50)
    }
    assert len(seeds) == 150
    assert derive_seed(0, SAMPLE_STREAM, 1, 2) == derive_seed(
        0, SAMPLE_STREAM, 1, 2)
    assert derive_seed(0, SAMPLE_STREAM, 1) != derive_seed(0, 1, 1)


class Draw(SampleSeedingMixin, torch.utils.data.Dataset):

    def __len__(self):
        return 10

    def __getitem__(self, idx):
        idx = self.seed_sample_rngs(idx)
        return idx, np.random.rand(), torch.rand(1).item()


def test_mixin_draws_depend_on_seed_epoch_and_index_only():
    data = Draw()
    a = data[SeededIndex(4, seed=0, epoch=1)]
    np.random.rand(7), torch.rand(3)  # whatever happened before
    assert data[SeededIndex(4, seed=0, epoch=1)] == a
    assert data[SeededIndex(4, seed=0, epoch=2)][1:] != a[1:]
    assert data[SeededIndex(5, seed=0, epoch=1)][1:] != a[1:]
    assert data[4][0] == 4  # a plain index seeds nothing


def test_sampler_keeps_default_order_and_skips_consumed_samples():
    plain = DefaultSampler(list(range(10)), shuffle=True, seed=7)
    seeded = SampleSeededSampler(list(range(10)), shuffle=True, seed=7)
    for epoch in (0, 1):
        plain.set_epoch(epoch)
        seeded.set_epoch(epoch)
        indices = list(seeded)
        assert indices == list(plain)
        assert all(i.epoch == epoch and i.seed == 7 for i in indices)
    seeded.skip_consumed(epoch=1, num_samples=4)
    assert list(seeded) == list(plain)[4:] and len(seeded) == 6
    seeded.set_epoch(2)
    plain.set_epoch(2)
    assert list(seeded) == list(plain) and len(seeded) == 10


def test_convert_turns_a_built_default_sampler_in_place():
    sampler = DefaultSampler(list(range(6)), shuffle=False, seed=1)
    sampler.set_epoch(3)
    same = SampleSeededSampler.convert(sampler)
    assert same is sampler and isinstance(sampler, SampleSeededSampler)
    assert [(int(i), i.epoch) for i in sampler] == [(i, 3) for i in range(6)]


class RecordLabels(Hook):

    def __init__(self):
        self.labels = {}

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        self.labels[runner.iter] = [
            int(s.order_label) for s in data_batch['data_samples']
        ]


def test_vcop_order_labels_are_drawn_anew_every_epoch(synthmotion, tmp_path):
    """Non-persistent workers: MMEngine re-seeded the worker identically
    each epoch, so the k-th sample of every epoch got the same label."""
    cfg = Config.fromfile(VCOP_TINY)
    # train loader and the config's representation monitor (test loader)
    set_data_root(cfg, synthmotion, 'test_seeding')
    cfg.train_dataloader.num_workers = 1
    cfg.train_dataloader.persistent_workers = False
    cfg.train_cfg.max_epochs = 2
    cfg.work_dir = str(tmp_path)
    cfg.experiment_name = 'seeding_vcop_labels'
    cfg.log_level = 'WARNING'
    cfg.visualizer.vis_backends = []
    runner = Runner.from_cfg(cfg)
    recorder = RecordLabels()
    runner.register_hook(recorder)
    runner.train()
    per_epoch = len(recorder.labels) // 2
    first = [recorder.labels[i] for i in range(per_epoch)]
    second = [recorder.labels[i] for i in range(per_epoch, 2 * per_epoch)]
    assert first != second
