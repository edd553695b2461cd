"""Test helpers: a tiny MMEngine runner (toy model, toy data, mmssl hooks)."""
import copy
import itertools
import os.path as osp

import torch
from mmengine.model import BaseModel
from mmengine.runner import Runner
from torch import nn
from torch.utils.data import Dataset

from mmssl.datasets.sample_seeding import SampleSeedingMixin

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
_names = itertools.count()


class ToyModel(BaseModel):
    """Linear regression whose loss also uses the main process's RNG."""

    def __init__(self) -> None:
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, inputs, data_samples=None, mode='tensor'):
        x = torch.stack(inputs)
        noise = torch.randn(x.shape[0], 1) * 0.01  # main-process draw
        loss = (self.linear(x) + noise - torch.stack(data_samples)).pow(2)
        return dict(loss=loss.mean())


class ToyDataset(SampleSeedingMixin, Dataset):
    """``size`` samples; each returns its index and a random feature."""

    def __init__(self, size: int = 8) -> None:
        self.size = size

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, idx):
        idx = self.seed_sample_rngs(idx)
        x = torch.rand(2)  # an 'augmentation' draw
        return dict(inputs=x, data_samples=torch.tensor([float(idx)]))


def toy_runner(work_dir: str,
               max_epochs: int,
               param_scheduler,
               resume: bool = False,
               load_from=None,
               checkpoint=None,
               custom_hooks=None,
               num_workers: int = 0,
               persistent_workers: bool = False,
               batch_size: int = 2,
               size: int = 8,
               seed=0) -> Runner:
    """A Runner with mmssl's default hooks on :class:`ToyDataset`."""
    from mmengine.config import Config
    runtime = Config.fromfile(
        osp.join(REPO, 'configs/_base_/default_runtime.py'))
    default_hooks = copy.deepcopy(runtime.default_hooks.to_dict())
    default_hooks.pop('skip_accounting', None)
    default_hooks['logger'] = dict(type='LoggerHook', interval=1)
    default_hooks['checkpoint'] = dict(
        dict(type='CheckpointHook', interval=1), **(checkpoint or {}))
    return Runner(
        model=ToyModel(),
        work_dir=work_dir,
        train_dataloader=dict(
            dataset=ToyDataset(size),
            sampler=dict(type='DefaultSampler', shuffle=True),
            batch_size=batch_size,
            num_workers=num_workers,
            persistent_workers=persistent_workers,
            collate_fn=dict(type='pseudo_collate')),
        train_cfg=dict(by_epoch=True, max_epochs=max_epochs),
        optim_wrapper=dict(
            optimizer=dict(type='SGD', lr=0.1, momentum=0.9)),
        param_scheduler=copy.deepcopy(param_scheduler),
        default_hooks=default_hooks,
        custom_hooks=custom_hooks,
        default_scope='mmssl',
        experiment_name=f'toy_runner_{next(_names)}',
        randomness=dict(seed=seed),
        resume=resume,
        load_from=load_from,
        env_cfg=dict(dist_cfg=dict(backend='gloo')),
        log_level='WARNING',
        visualizer=dict(type='Visualizer', vis_backends=[]))
