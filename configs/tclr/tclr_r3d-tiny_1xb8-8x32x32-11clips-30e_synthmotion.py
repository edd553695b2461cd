# TCLR, tiny CPU setting on the embedded synthetic motion dataset
# (docs/methods/tclr_family.md). Scaled down from
# tclr_r3d-18_1xb40-16x112x112-400e_ucf101-split1.py: 8-frame 32x32 clips,
# narrow 1-block-per-stage R3D, 30 epochs; 48-frame videos hold the 4 x 8
# dense local clips (32 frames) and the global clip (rate 4, 29 frames).
_base_ = [
    '../_base_/models/tclr_family_r3d_tiny.py',
    '../_base_/datasets/synthmotion.py',
    '../_base_/datasets/tclr_clip_augment.py',
    '../_base_/schedules/adam_plateau_30e_synthmotion.py',
    '../_base_/default_runtime.py'
]

num_local_clips = 4
model = dict(
    type='TCLR',
    num_local_clips=num_local_clips,
    instance_mode='separate',
    backbone={{_base_.tiny_backbone}},
    neck={{_base_.tiny_neck}},
    head=dict(
        type='TemporalContrastiveHead',
        # temperature 0.1 for TCLR (STCLR Sec. 4.2.4)
        loss_instance=dict(type='InstanceContrastiveLoss', temperature=0.1),
        loss_local=dict(type='LocalLocalContrastiveLoss', temperature=0.1),
        loss_global_local=dict(
            type='GlobalLocalContrastiveLoss', temperature=0.1)),
    data_preprocessor={{_base_.data_preprocessor}})

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='TCLRSampleClips',
        clip_len=8,
        num_local_clips=num_local_clips,
        local_rate=1,
        instance_mode='separate',
        instance_rates=(1, 2, 3, 4)),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='PerClipTransform', transforms={{_base_.tclr_clip_aug_32}}),
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

# Schedule: configs/_base_/schedules/adam_plateau_30e_synthmotion.py (Adam
# 1e-3, lr / 10 on a training-loss plateau, STCLR Sec. 4.2.2).
default_hooks = dict(
    checkpoint=dict(interval=10, max_keep_ckpts=2), logger=dict(interval=8))
