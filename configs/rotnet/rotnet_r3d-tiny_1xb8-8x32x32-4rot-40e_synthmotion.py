# RotNet-3D, tiny CPU setting on the embedded synthetic motion dataset: the
# narrow 1-block-per-stage R3D of configs/_base_/models/vcop_r3d_tiny.py
# (its VCOP head replaced), 8x32x32 clips, 4 angles (complexity C3). The
# paper setting is rotnet_r2plus1d-vcop_1xb8-16x112x112-4rot-200e_k400-50k.py.
# Caveat (docs/methods/rotnet.md): SynthMotion is close to rotation
# invariant by construction (random shape/texture orientations, all four
# translation directions), so the rotation is hard to tell apart here.
_base_ = [
    '../_base_/models/vcop_r3d_tiny.py', '../_base_/datasets/synthmotion.py',
    '../_base_/schedules/sgd_cosine_40e_synthmotion.py',
    '../_base_/default_runtime.py'
]

angles = (0, 90, 180, 270)
model = dict(
    type='RotNet3D',
    angles=angles,
    rotation_mode='all',
    head=dict(_delete_=True, type='RotNetHead', num_classes=4))

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(type='SampleFrames', clip_len=8, frame_interval=1, num_clips=1),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='RandomCrop', size=32),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs')
]
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoListDataset',
        ann_file={{_base_.ann_file_train}},
        data_prefix=dict(video={{_base_.data_root}}),
        pipeline=train_pipeline))

# Schedule: configs/_base_/schedules/sgd_cosine_40e_synthmotion.py, as the
# VCOP tiny config (SGD lr 0.01, momentum 0.9, weight decay 5e-4, cosine).
default_hooks = dict(
    checkpoint=dict(interval=10, max_keep_ckpts=2), logger=dict(interval=10))
