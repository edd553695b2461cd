"""CSVR algorithm: stages, per-module optimizers, staged checkpoints and the
fine-tuning hand-over of the V-Network."""
import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.config import Config
from mmengine.optim import (OptimWrapper, OptimWrapperDict,
                            build_optim_wrapper)
from mmengine.registry import init_default_scope

import mmssl  # noqa: F401
from mmssl.models.algorithms.csvr_stages import STAGE_MODULES
from mmssl.registry import MODELS
from mmssl.utils.checkpoint_loading import CheckpointMismatchError

TINY = 'configs/csvr/_base_/csvr_r3d-tiny_model.py'
PAPER = 'configs/csvr/_base_/csvr_r2plus1d-18_model.py'
FINETUNE = ('configs/benchmarks/finetune/'
            'csvr-ft_r2plus1d-18_1xb32-16x112x112-cosine-100e_'
            'ucf101-split1.py')
T, HW, K = 4, 16, 3


def build(**kwargs):
    init_default_scope('mmssl')
    cfg = Config.fromfile(TINY).model
    cfg.pose_generator.out_frames = T
    cfg.video_generator.update(out_shape=(T, HW, HW), channels=(8, 8, 4),
                               seed_shape=(2, 4, 4))
    cfg.video_discriminator.update(channels=(4, 8), strides=((1, 2, 2), 2))
    cfg.update(kwargs)
    torch.manual_seed(0)
    return MODELS.build(cfg)


def batch(b=3, with_iframes=True):
    samples = []
    for _ in range(b):
        s = ActionDataSample()
        s.set_field(torch.rand(T, 17, 2), 'pose_in')
        s.set_field(torch.rand(T, 17, 2), 'pose_future')
        s.set_field(torch.ones(2 * T), 'pose_valid')
        if with_iframes:
            s.set_field(torch.randint(0, 255, (K, 3, HW, HW)).byte(),
                        'iframes')
            s.set_field(torch.tensor([1.0, 0.0, 1.0]), 'iframe_valid')
            s.set_field(torch.tensor(len(samples) % 2), 'iframe_is_fallback')
        samples.append(s)
    return dict(
        inputs=[torch.randint(0, 255, (2, 3, T, HW, HW)).byte()
                for _ in range(b)],
        data_samples=samples)


def optimizers(model, lrs=None):
    cfg = dict(constructor='PerModuleOptimWrapperConstructor')
    for name in STAGE_MODULES[model.stage]:
        if getattr(model, name) is not None and name not in model.frozen:
            lr = 0.1 if lrs is None else lrs.get(name, 0.0)
            cfg[name] = dict(optimizer=dict(type='SGD', lr=lr, momentum=0.9,
                                            weight_decay=0.005))
    return build_optim_wrapper(model, cfg)


def params(model):
    return {k: v.detach().clone() for k, v in model.named_parameters()}


@pytest.mark.parametrize('owner,update', [
    ('pose_discriminator', 'alternating'), ('video_predictor', 'one_stage'),
    ('backbone', 'alternating'), ('reconstructor_discriminator', 'one_stage')
])
def test_each_optimizer_steps_only_its_own_parameters(update, owner):
    model = build(gan_update=update)
    wrappers = optimizers(model, {owner: 0.1})
    held = [{id(p) for g in w.optimizer.param_groups for p in g['params']}
            for w in wrappers.values()]
    assert sum(map(len, held)) == len(set().union(*held))  # disjoint
    assert held[list(wrappers.keys()).index(owner)] == {
        id(p) for p in getattr(model, owner).parameters()}
    before = params(model)
    logs = model.train_step(batch(), wrappers)
    assert torch.isfinite(logs['loss'])
    changed = {k.split('.')[0] for k, v in model.named_parameters()
               if not torch.equal(v, before[k])}
    assert changed == {owner}


@pytest.mark.parametrize('stage,keys', [
    ('pose', {'loss_pose_d', 'pose_gp', 'loss_pose_g', 'loss_pose_l2'}),
    ('context', {'loss_context', 'acc_context', 'iframe_fallback'}),
    ('video', {'loss_reconstruct_d', 'loss_predict_g', 'loss_predict_l2'}),
])
def test_stages_build_and_train_their_branch(stage, keys):
    model = build(stage=stage)
    built = {n for n, m in model.named_children()} - {'data_preprocessor',
                                                      'loss_context'}
    assert built == set(STAGE_MODULES[stage])
    logs = model.train_step(batch(with_iframes=stage != 'pose'),
                            optimizers(model))
    assert keys <= set(logs) and 'loss_context' not in (set(logs) - keys)
    if stage == 'context':  # samples 0, 1, 2 flag fallback 0, 1, 0
        assert logs['iframe_fallback'].item() == pytest.approx(1 / 3)
    if stage == 'video':  # frozen pose generator: no grad, eval mode
        assert not any(p.requires_grad
                       for p in model.pose_generator.parameters())
        assert not model.pose_generator.training


def test_table5_single_target_and_missing_fields():
    model = build(video_targets=('predict', ))
    assert model.video_reconstructor is None
    with pytest.raises(KeyError, match='iframes'):
        model.train_step(batch(with_iframes=False), optimizers(model))
    stray = OptimWrapperDict(video_reconstructor=OptimWrapper(
        torch.optim.SGD(model.backbone.parameters(), lr=0.1)))
    with pytest.raises(KeyError, match='video_reconstructor'):
        model.train_step(batch(), stray)


def _save(model, path):
    torch.save(dict(state_dict=model.state_dict()), path)
    return str(path)


def test_staged_checkpoints_load_into_joint_stage(tmp_path):
    pose = build(stage='pose')
    for p in pose.parameters():
        p.data.normal_()
    pose_ckpt = _save(pose, tmp_path / 'pose.pth')
    video = build(stage='video', stage_checkpoints=dict(pose=pose_ckpt))
    video.init_weights()
    torch.testing.assert_close(video.pose_generator.state_dict(),
                               pose.pose_generator.state_dict())
    for p in video.parameters():
        p.data.uniform_()
    video_ckpt = _save(video, tmp_path / 'video.pth')
    joint = build(stage_checkpoints=dict(pose=pose_ckpt, video=video_ckpt))
    joint.init_weights()
    for name in ('pose_generator', 'pose_discriminator'):
        torch.testing.assert_close(getattr(joint, name).state_dict(),
                                   getattr(pose, name).state_dict())
    for name in ('backbone', 'video_neck', 'dynamic_neck', 'integration',
                 'video_reconstructor', 'predictor_discriminator'):
        torch.testing.assert_close(getattr(joint, name).state_dict(),
                                   getattr(video, name).state_dict())
    # a branch checkpoint with a missing key, or no file: a clear error
    state = pose.state_dict()
    state.pop('pose_generator.decoder.0.0.weight')
    torch.save(dict(state_dict=state), tmp_path / 'broken.pth')
    with pytest.raises(CheckpointMismatchError, match='missing pose_gen'):
        build(stage_checkpoints=dict(
            pose=str(tmp_path / 'broken.pth'))).init_weights()
    with pytest.raises(FileNotFoundError, match='stage_checkpoints'):
        build(stage_checkpoints=dict(
            pose=str(tmp_path / 'none.pth'))).init_weights()


def test_vnetwork_backbone_loads_into_recognizer3d():
    """The V-Network's ``backbone.*`` keys are those of MMAction2's
    Recognizer3D with the same backbone config (the paper model and
    configs/benchmarks/finetune/_base_/csvr-ft_r2plus1d-18.py share
    configs/_base_/models/backbones/r2plus1d_18.py)."""
    csvr = build(stage='context')
    recognizer = MODELS.build(
        dict(
            type='Recognizer3D',
            backbone=Config.fromfile(TINY).model.backbone,
            cls_head=dict(type='I3DHead', num_classes=5, in_channels=128)))
    result = recognizer.load_state_dict(csvr.state_dict(), strict=False)
    assert result.missing_keys and all(
        k.startswith('cls_head.') for k in result.missing_keys)
    assert all(not k.startswith('backbone.') for k in result.unexpected_keys)
    torch.testing.assert_close(recognizer.backbone.state_dict(),
                               csvr.backbone.state_dict())
    paper = Config.fromfile(PAPER).model.backbone
    assert paper == Config.fromfile(FINETUNE).model.backbone


def test_every_module_wrappers_follow_the_stage():
    model = build(stage='video')
    wrappers = build_optim_wrapper(model, dict(
        constructor='PerModuleOptimWrapperConstructor',
        every_module=dict(optimizer=dict(type='SGD', lr=0.1)),
        backbone=dict(optimizer=dict(type='SGD', lr=0.5))))
    trained = set(STAGE_MODULES['video']) - {'pose_generator'}  # frozen
    assert set(wrappers.keys()) == trained
    assert wrappers['backbone'].get_lr()['lr'] == [0.5]
