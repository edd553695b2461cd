"""Multi-teacher distillation (Kumar et al., Sec. 4.5): the loss against a
hand computation, frozen teachers of other architectures / input pipelines,
and a student checkpoint that loads strictly into Recognizer3D."""
import math

import pytest
import torch
from mmaction.structures import ActionDataSample
from mmengine.registry import init_default_scope

from mmssl.models.algorithms.multi_teacher_distill import adapt_clip
from mmssl.models.losses import MultiTeacherKDLoss, kd_kl_divergence
from mmssl.registry import MODELS
from mmssl.utils import register_all_modules

TINY_BACKBONE = dict(type='ResNet3d', depth=18, stage_blocks=(1, 1, 1, 1),
                     base_channels=8, pretrained=None, pretrained2d=False,
                     conv1_kernel=(3, 7, 7), conv1_stride_t=1,
                     pool1_stride_t=1, inflate=(1, 1, 1, 1))
PRE = dict(type='ActionDataPreprocessor', mean=[100.0, 110.0, 120.0],
           std=[50.0, 55.0, 60.0], format_shape='NCTHW')


def _head(channels):
    return dict(type='I3DHead', num_classes=3, in_channels=channels,
                dropout_ratio=0.0)


def test_kd_loss_equals_hand_computation():
    s = torch.tensor([[1.0, 0.0, -1.0], [0.5, 0.5, 2.0]])
    t1 = torch.tensor([[2.0, 1.0, 0.0], [0.0, 0.0, 0.0]])
    t2 = torch.tensor([[0.0, 0.0, 3.0], [1.0, -1.0, 0.5]])
    labels = torch.tensor([0, 2])
    T = 2.0

    def softmax(row):
        e = [math.exp(v / T) for v in row]
        return [v / sum(e) for v in e]

    def kl(p, q):  # sum p log p/q
        return sum(a * math.log(a / b) for a, b in zip(p, q))

    def forward_kd(teacher):  # Hinton: KL(p_teacher || p_student)
        return T**2 * sum(kl(softmax(t), softmax(r)) for t, r in zip(
            teacher.tolist(), s.tolist())) / 2

    ce = sum(-math.log(math.exp(r[y]) / sum(math.exp(v) for v in r))
             for r, y in zip(s.tolist(), labels.tolist())) / 2
    loss = MultiTeacherKDLoss([0.5, 2.0], temperature=T)
    out = loss(s, labels, [t1, t2])
    assert out['loss_ce'].item() == pytest.approx(ce, rel=1e-6)
    assert out['loss_kd_t0'].item() == pytest.approx(
        0.5 * forward_kd(t1), rel=1e-6)
    assert out['loss_kd_t1'].item() == pytest.approx(
        2.0 * forward_kd(t2), rel=1e-6)
    reverse = T**2 * sum(kl(softmax(r), softmax(t)) for t, r in zip(
        t1.tolist(), s.tolist())) / 2
    assert kd_kl_divergence(s, t1, T, 'reverse').item() == pytest.approx(
        reverse, rel=1e-6)
    assert kd_kl_divergence(s, s, T).item() == pytest.approx(0, abs=1e-7)
    with pytest.raises(ValueError, match='same classes'):
        kd_kl_divergence(s, t1[:, :2])


def test_adapt_clip_resamples_time_and_space():
    clip = torch.arange(8.0).view(1, 1, 8, 1, 1).expand(1, 1, 8, 4, 4)
    out = adapt_clip(clip, num_frames=4, size=(2, 2))
    assert out.shape == (1, 1, 4, 2, 2)
    assert out[0, 0, :, 0, 0].tolist() == [0.0, 2.0, 5.0, 7.0]


def _teacher_config(tmp_path, name, backbone, channels, pre):
    path = tmp_path / f'{name}.py'
    path.write_text(f'model = dict(type="Recognizer3D", backbone={backbone!r}'
                    f', cls_head={_head(channels)!r}, '
                    f'data_preprocessor={pre!r})\n')
    return str(path)


def test_teachers_frozen_student_trains_and_loads_into_recognizer(
        tmp_path):
    register_all_modules(init_default_scope=False)
    init_default_scope('mmssl')
    torch.manual_seed(0)
    r21d = dict(TINY_BACKBONE, type='ResNet2Plus1d',
                conv_cfg=dict(type='Conv2plus1d'))
    residual = dict(type='ResidualFramesPreprocessor', mean=PRE['mean'],
                    std=PRE['std'], format_shape='NCTHW')
    configs = [
        # another architecture, longer and larger clips
        _teacher_config(tmp_path, 'r21d', r21d, 64,
                        dict(PRE, mean=[0.0] * 3, std=[255.0] * 3)),
        # another input pipeline: residual frames
        _teacher_config(tmp_path, 'res', TINY_BACKBONE, 64, residual)
    ]
    teachers = []
    for i, path in enumerate(configs):
        from mmengine.config import Config
        teacher = MODELS.build(Config.fromfile(path).model)
        ckpt = str(tmp_path / f't{i}.pth')
        torch.save(dict(state_dict=teacher.state_dict()), ckpt)
        teachers.append(dict(config=path, checkpoint=ckpt, weight=0.5 + i))
    teachers[0]['input'] = dict(num_frames=8, size=(24, 24))
    student_cfg = dict(backbone=TINY_BACKBONE, cls_head=_head(64),
                       data_preprocessor=PRE)
    model = MODELS.build(dict(type='MultiTeacherDistiller',
                              teachers=teachers, distill=dict(temperature=3),
                              **student_cfg))
    model.init_weights()
    model.train()
    before = [{k: v.clone() for k, v in t.state_dict().items()}
              for t in model.teachers]
    assert all(not t.training for t in model.teachers)
    assert not any(k.startswith('_teachers') or 'teacher' in k
                   for k in model.state_dict())
    optim = torch.optim.SGD(model.parameters(), lr=0.1)
    samples = [ActionDataSample().set_gt_labels(i % 3)
               for i in range(2)]
    data = dict(inputs=[torch.randint(0, 255, (1, 3, 4, 16, 16),
                                      dtype=torch.uint8) for _ in range(2)],
                data_samples=samples)
    student_before = model.backbone.conv1.conv.weight.clone()
    for _ in range(2):
        batch = model.data_preprocessor(data, True)
        losses = model(**batch, mode='loss')
        assert set(losses) == {'loss_ce', 'loss_kd_t0', 'loss_kd_t1',
                               'top1_acc'}
        total = sum(v for k, v in losses.items() if k.startswith('loss'))
        optim.zero_grad()
        total.backward()
        optim.step()
    assert not torch.equal(student_before, model.backbone.conv1.conv.weight)
    for teacher, old in zip(model.teachers, before):
        assert all(torch.equal(v, old[k])
                   for k, v in teacher.state_dict().items())
        assert all(p.grad is None for p in teacher.parameters())
    # the student's checkpoint is a Recognizer3D checkpoint
    recognizer = MODELS.build(dict(type='Recognizer3D', **student_cfg))
    recognizer.load_state_dict(model.state_dict(), strict=True)
    x = torch.randn(1, 1, 3, 4, 16, 16)
    model.eval()
    assert torch.allclose(model.extract_feat(x)[0],
                          recognizer.eval().extract_feat(x)[0])
