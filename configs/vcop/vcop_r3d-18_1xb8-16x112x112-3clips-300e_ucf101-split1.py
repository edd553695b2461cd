# VCOP at the paper's setting (Xu et al., "Self-supervised Spatiotemporal
# Learning via Video Clip Order Prediction", CVPR 2019):
# - Sec. 4.1: 3 clips of 16 frames, 112x112 crops (from 128x171 resize),
#   8 frames between clips; pairwise-feature MLP with 512 units, dropout 0.5.
# - Training: SGD momentum 0.9, weight decay 5e-4, lr 1e-3, batch 8,
#   300 epochs (defaults of the authors' released training script; the lr is
#   reduced on plateau there: here a 10x step at epochs 150 and 250, since
#   MMEngine's ReduceOnPlateau needs a validation metric).
# Backbone: 18-layer R3D (MMAction2 ResNet3d depth 18, 3x7x7 stem, no max
# pooling, temporal stride 2 in stages 2-4). The 14.4M-parameter R3D the
# benchmark papers tabulate is provided by the backbone zoo (docs/backbones.md).
_base_ = [
    '../_base_/datasets/ucf101_split1.py', '../_base_/default_runtime.py'
]

num_clips = 3
model = dict(
    type='VCOP',
    backbone=dict(
        type='ResNet3d',
        depth=18,
        pretrained=None,
        pretrained2d=False,
        conv1_kernel=(3, 7, 7),
        conv1_stride_t=1,
        with_pool1=False,
        with_pool2=False,
        spatial_strides=(1, 2, 2, 2),
        temporal_strides=(1, 2, 2, 2),
        inflate=(1, 1, 1, 1),
        zero_init_residual=False),
    head=dict(
        type='VCOPHead',  # in_channels: read from the backbone (512)
        num_clips=num_clips,
        hidden_channels=512,
        dropout_ratio=0.5),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='VCOPSampleClips',
        clip_len=16,
        num_clips=num_clips,
        clip_interval=8,
        frame_interval=1),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(171, 128), keep_ratio=False),
    dict(type='RandomCrop', size=112),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs', target_keys=('order_label', ))
]
train_dataloader = dict(
    batch_size=8,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoListDataset',
        ann_file={{_base_.ann_file_train}},
        data_prefix=dict(video={{_base_.data_root}}),
        pipeline=train_pipeline))

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=300, val_interval=300)
val_cfg = None
val_dataloader = None
val_evaluator = None

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=5e-4))
param_scheduler = [
    dict(type='MultiStepLR', milestones=[150, 250], gamma=0.1, by_epoch=True)
]
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=3))
auto_scale_lr = dict(enable=False, base_batch_size=8)
