"""Multi-teacher distillation through the real ``tools/train.py`` on the
tiny SynthMotion fixture (docs/analysis/distillation.md): the tiny config
``kd_r3d-tiny_2teachers_synthmotion-rgb.py`` with its two teachers (tiny
R3D on RGB, tiny R3D on residual frames) given as checkpoints of freshly
built models, trained for 2 iterations. The run finishes, logs the CE and
both KD terms, leaves the teachers' parameters as loaded, and its student
checkpoint loads strictly into MMAction2's ``Recognizer3D``."""
import glob
import json
import os.path as osp
import sys

import torch
from mmengine.config import Config
from mmengine.runner import Runner
from tool_modules import load_tool

from mmssl.registry import MODELS
from mmssl.utils import register_all_modules

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
KD = 'configs/analysis/distillation/kd_r3d-tiny_2teachers_synthmotion-rgb.py'
LOADERS = ('num_workers=0', 'persistent_workers=False')


def _teacher_checkpoint(path, out, seed):
    """A checkpoint of the teacher config's model, freshly built."""
    torch.manual_seed(seed)
    model = MODELS.build(Config.fromfile(osp.join(REPO, path)).model)
    state = {k: v.clone() for k, v in model.state_dict().items()}
    torch.save(dict(state_dict=state), out)
    return state


def test_distillation_trains_through_train_py(tmp_path, synthmotion,
                                              monkeypatch):
    register_all_modules(init_default_scope=True)
    kd = Config.fromfile(osp.join(REPO, KD))
    teachers = [
        _teacher_checkpoint(t['config'], str(tmp_path / f't{i}.pth'), i)
        for i, t in enumerate(kd.model.teachers)]
    runners = []
    from_cfg = Runner.from_cfg.__func__

    def keep_runner(cls, cfg):
        runners.append(from_cfg(cls, cfg))
        return runners[-1]

    monkeypatch.setattr(Runner, 'from_cfg', classmethod(keep_runner))
    monkeypatch.setenv('OMP_NUM_THREADS', '1')
    work = str(tmp_path / 'kd')
    options = [f'model.teachers.{i}.checkpoint={tmp_path}/t{i}.pth'
               for i in range(len(teachers))] + [
        'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
        'default_hooks.logger.interval=1',
        'default_hooks.checkpoint.interval=1',
        'train_dataloader.batch_size=8', 'val_dataloader.batch_size=8'] + [
            f'{loader}.{option}' for loader in ('train_dataloader',
                                                'val_dataloader')
            for option in LOADERS]
    monkeypatch.setattr(sys, 'argv', [
        'train.py', osp.join(REPO, KD), '--work-dir', work, '--data-root',
        synthmotion, '--cfg-options', *options])
    load_tool('tools/train.py', 'train_tool').main()

    (runner, ) = runners
    assert runner.iter == 2  # 16 training videos, batch 8, one epoch
    # the loss terms, logged per iteration
    (scalars, ) = glob.glob(osp.join(work, '*', 'vis_data',
                                     'scalars.json'))
    logged = [json.loads(line) for line in open(scalars)]
    losses = [e for e in logged if 'loss' in e]
    assert len(losses) == 2
    for entry in losses:
        assert {'loss_ce', 'loss_kd_t0', 'loss_kd_t1'} <= set(entry)
        assert abs(entry['loss'] - entry['loss_ce'] - entry['loss_kd_t0']
                   - entry['loss_kd_t1']) < 1e-3
    # teachers: as loaded from their checkpoints, frozen, in eval mode
    model = runner.model
    for teacher, state in zip(model.teachers, teachers):
        assert not teacher.training
        assert all(not p.requires_grad and p.grad is None
                   for p in teacher.parameters())
        now = teacher.state_dict()
        assert all(torch.equal(now[k], v) for k, v in state.items()
                   if k.startswith(('backbone.', 'cls_head.')))
    # the student checkpoint is a Recognizer3D checkpoint
    with open(osp.join(work, 'last_checkpoint')) as f:
        checkpoint = torch.load(f.read().strip(), map_location='cpu',
                                weights_only=False)
    student = Config.fromfile(osp.join(
        REPO, 'configs/benchmarks/finetune/'
        'r3d-tiny_finetune_synthmotion-rgb.py')).model
    assert student.type == 'Recognizer3D'
    recognizer = MODELS.build(student)
    recognizer.load_state_dict(checkpoint['state_dict'], strict=True)
    assert torch.equal(recognizer.backbone.conv1.conv.weight,
                       model.backbone.conv1.conv.weight.detach())
