"""Issue 14 item 3 on real tiny configs: N epochs straight and N/2 +
resume to N (or a resume from a mid-epoch iteration checkpoint) give
bit-identical weights, momentum encoders, queues (contents and pointer)
and optimizer state on the CPU, with dataloader workers."""
import itertools
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from mmssl.utils.config_overrides import set_data_root

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = dict(
    rspnet='configs/rspnet/rspnet_r3d-tiny_1xb16-8x32x32-speed1-2-40e_'
    'synthmotion.py',
    tdl='configs/tdl/tdl_r3d-tiny_1xb16-8x32x32-triplet-40e_synthmotion.py',
    vcop='configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py')
_names = itertools.count()


def train(method, root, work_dir, persistent, load_from=None, checkpoint=None):
    """2 epochs x 4 iterations (16 videos, batch 4), one worker."""
    cfg = Config.fromfile(osp.join(REPO, CONFIGS[method]))
    # every dataset path (train loader and the VCOP config's representation
    # monitor, which reads the test loader) moves to the test data
    set_data_root(cfg, root, 'test_exact_resume')
    cfg.train_dataloader.batch_size = 4
    cfg.train_dataloader.num_workers = 1
    cfg.train_dataloader.persistent_workers = persistent
    cfg.train_cfg.max_epochs = 2
    cfg.default_hooks.checkpoint.update(
        checkpoint or dict(interval=1, max_keep_ckpts=5))
    cfg.work_dir = str(work_dir)
    cfg.experiment_name = f'exact_resume_{next(_names)}'
    cfg.log_level = 'WARNING'
    cfg.visualizer.vis_backends = []
    if load_from:
        cfg.resume, cfg.load_from = True, load_from
    runner = Runner.from_cfg(cfg)
    runner.train()
    return runner


def assert_bit_identical(straight, resumed):
    a, b = straight.model.state_dict(), resumed.model.state_dict()
    assert a.keys() == b.keys()
    differ = [k for k in a if not torch.equal(a[k], b[k])]
    assert not differ, f'{len(differ)} of {len(a)} tensors differ: {differ}'
    opt_a = straight.optim_wrapper.state_dict()
    opt_b = resumed.optim_wrapper.state_dict()
    assert opt_a['param_groups'] == opt_b['param_groups']
    for key, state in opt_a['state'].items():
        for name, value in state.items():
            assert torch.equal(value, opt_b['state'][key][name]), (key, name)


@pytest.mark.parametrize('method,persistent', [('rspnet', True),
                                               ('rspnet', False),
                                               ('vcop', False)])
def test_epoch_resume_is_bit_identical(synthmotion, tmp_path, method,
                                       persistent):
    straight = train(method, synthmotion, tmp_path / 'straight', persistent)
    resumed = train(
        method,
        synthmotion,
        tmp_path / 'resumed',
        persistent,
        load_from=osp.join(tmp_path, 'straight', 'epoch_1.pth'))
    assert resumed.iter == straight.iter == 8
    if method == 'rspnet':  # the queue and its pointer are compared too
        keys = resumed.model.state_dict().keys()
        assert any(k.endswith('queue') for k in keys)
        assert any(k.endswith('ptr') for k in keys)
        assert any('momentum' in k or 'key_' in k or 'ema' in k
                   for k in keys), sorted(keys)[:20]
    assert_bit_identical(straight, resumed)


def test_mid_epoch_resume_is_bit_identical(synthmotion, tmp_path):
    every_3_iters = dict(by_epoch=False, interval=3, max_keep_ckpts=5)
    straight = train('tdl', synthmotion, tmp_path / 'straight', True,
                     checkpoint=every_3_iters)
    ckpt = osp.join(tmp_path, 'straight', 'iter_6.pth')
    assert torch.load(ckpt, weights_only=False)['meta']['epoch'] == 1
    resumed = train('tdl', synthmotion, tmp_path / 'resumed', True,
                    load_from=ckpt, checkpoint=every_3_iters)
    # MMEngine alone restarted epoch 2 from its first batch: 8 + 2 iters
    assert resumed.iter == straight.iter == 8
    assert_bit_identical(straight, resumed)
