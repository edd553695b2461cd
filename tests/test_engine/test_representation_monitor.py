"""RepresentationMonitorHook (issue 9, protocol 6): a real VCOP run on the
tiny SynthMotion fixture logs k-NN, R@1 and collapse scalars, and leaves the
training stream (weights) bit-identical."""
import datetime
import glob
import json
import os.path as osp
import socket
from types import SimpleNamespace

import pytest
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from mmengine.config import Config
from mmengine.runner import Runner

from mmssl.engine.hooks import RepresentationMonitorHook
from mmssl.engine.hooks.representation_monitor_hook import evenly_spaced
from mmssl.utils.config_overrides import apply_overrides

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
VCOP = 'configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py'
KEYS = ('monitor/knn_top1', 'monitor/knn_top5', 'monitor/retrieval_R@1',
        'monitor/std_mean', 'monitor/std_min', 'monitor/std_reference',
        'monitor/effective_rank', 'monitor/seconds')


def vcop_cfg(root, work_dir, name, monitor=True, exact_resume=True):
    cfg = apply_overrides(Config.fromfile(osp.join(REPO, VCOP)), None, root)
    cfg.train_dataloader.batch_size = 4
    cfg.train_dataloader.num_workers = 0
    cfg.train_dataloader.persistent_workers = False
    cfg.train_cfg.max_epochs = 2
    cfg.default_hooks.checkpoint = dict(type='CheckpointHook', interval=100)
    if not exact_resume:
        # MMEngine's default: no per-iteration re-seeding, so any random
        # draw the monitor leaves behind would change the next epoch
        cfg.default_hooks.sampler_seed = dict(type='DistSamplerSeedHook')
    cfg.custom_hooks = [
        dict(type='RepresentationMonitorHook', interval=1, num_workers=0,
             max_videos=None)
    ] if monitor else []
    cfg.work_dir = str(work_dir)
    cfg.experiment_name = name
    cfg.visualizer.vis_backends = [dict(type='LocalVisBackend')]
    cfg.randomness = dict(seed=0)
    return cfg


def test_real_run_logs_monitor_scalars(synthmotion, tmp_path):
    runner = Runner.from_cfg(vcop_cfg(synthmotion, tmp_path, 'monitor_log'))
    runner.train()
    scalars = glob.glob(str(tmp_path / '*' / 'vis_data' / 'scalars.json'))
    assert scalars, 'no scalars.json written'
    with open(scalars[0]) as f:
        rows = [json.loads(line) for line in f]
    monitored = [r for r in rows if 'monitor/knn_top1' in r]
    assert [r['step'] for r in monitored] == [0, 1, 2]
    for row in monitored:
        assert set(KEYS) <= set(row)
        assert 0 <= row['monitor/knn_top1'] <= row['monitor/knn_top5'] <= 100
        assert 0 <= row['monitor/retrieval_R@1'] <= 100
        assert 1 <= row['monitor/effective_rank'] <= 128  # R3D-tiny: D=128
        assert row['monitor/std_reference'] == pytest.approx(128**-0.5)
    log = glob.glob(str(tmp_path / '*' / '*.log'))
    with open(log[0]) as f:
        text = f.read()
    assert 'RepresentationMonitorHook (epoch 2): knn_top1=' in text
    assert runner.model.training


@pytest.mark.parametrize('exact_resume', [True, False])
def test_monitor_leaves_training_bit_identical(synthmotion, tmp_path,
                                               exact_resume):
    weights = []
    for monitor in (False, True):
        name = f'identical_{monitor}_{exact_resume}'
        runner = Runner.from_cfg(
            vcop_cfg(synthmotion, tmp_path / name, name, monitor,
                     exact_resume))
        runner.train()
        weights.append(runner.model.state_dict())
    assert weights[0].keys() == weights[1].keys()
    for key in weights[0]:
        assert torch.equal(weights[0][key], weights[1][key]), key


def test_loader_without_query_split_is_named(synthmotion, tmp_path):
    cfg = vcop_cfg(synthmotion, tmp_path, 'no_query')
    # the train list only: every video is in the gallery
    cfg.custom_hooks[0]['dataloader'] = dict(
        batch_size=4,
        num_workers=0,
        dataset=cfg.test_dataloader.dataset.datasets[0])
    runner = Runner.from_cfg(cfg)
    with pytest.raises(ValueError, match="retrieval_split='test'"):
        runner.train()


def test_evenly_spaced_subset_and_arguments():
    assert evenly_spaced(10, 4) == [0, 2, 5, 7]
    assert evenly_spaced(3, 8) == [0, 1, 2]
    assert evenly_spaced(3, None) == [0, 1, 2]
    with pytest.raises(ValueError, match='interval'):
        RepresentationMonitorHook(interval=0)
    with pytest.raises(ValueError, match='max_videos'):
        RepresentationMonitorHook(max_videos=1)


# --------------------------------------------------------------------------
# two gloo ranks: features gathered in dataset order, same numbers everywhere
# --------------------------------------------------------------------------


class _Visualizer:

    def add_scalars(self, scalars, step):
        pass


def _monitor_once(cfg, name):
    """The hook's scalars for a seeded R3D-tiny VCOP (no Runner)."""
    from mmengine.logging import MessageHub, MMLogger
    from mmengine.registry import init_default_scope

    from mmssl.registry import MODELS
    init_default_scope('mmssl')
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    runner = SimpleNamespace(
        cfg=cfg, model=model, seed=0,
        logger=MMLogger.get_instance(name, log_level='WARNING'),
        message_hub=MessageHub.get_instance(name), visualizer=_Visualizer())
    # 11 of the 24 videos: rank 1's share is padded by the sampler
    hook = RepresentationMonitorHook(max_videos=11, num_clips=1,
                                     num_workers=0, batch_size=2, k=3)
    scalars = hook.monitor(runner, step=0)
    scalars.pop('monitor/seconds')
    assert model.training
    return scalars


def _rank_worker(rank, port, cfg_text, out_dir):
    dist.init_process_group(
        'gloo', init_method=f'tcp://127.0.0.1:{port}', rank=rank,
        world_size=2, timeout=datetime.timedelta(seconds=120))
    try:
        cfg = Config.fromstring(cfg_text, '.py')
        torch.save(_monitor_once(cfg, f'monitor-rank{rank}'),
                   f'{out_dir}/rank{rank}.pt')
    finally:
        dist.destroy_process_group()


def test_two_gloo_ranks_match_one_process(synthmotion, tmp_path):
    cfg = apply_overrides(Config.fromfile(osp.join(REPO, VCOP)), None,
                          synthmotion)
    single = _monitor_once(cfg, 'monitor-single')
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    mp.spawn(_rank_worker, args=(port, cfg.pretty_text, str(tmp_path)),
             nprocs=2)
    for rank in range(2):
        scalars = torch.load(tmp_path / f'rank{rank}.pt')
        assert scalars.keys() == single.keys()
        for key, value in single.items():
            assert scalars[key] == pytest.approx(value, rel=1e-5), key
