# VCOP (Xu et al., "Self-supervised Spatiotemporal Learning via Video Clip
# Order Prediction", CVPR 2019) in the setting of the benchmark study (Kumar
# et al., "A Large-Scale Analysis on Contextual Self-Supervised Video
# Representation Learning"):
# - backbone: the study's medium-capacity R(2+1)D, 14.4M parameters (Sec. 3,
#   supp. Table 10) = VCOP's own R(2+1)D, the zoo's
#   configs/_base_/models/backbones/r2plus1d_vcop.py.
# - data: K400-50k (supp. C.4).
# - task complexity C1 (Sec. 4.2, "increasing the number of shuffled clips
#   from 3 to 5"): 3 clips (3! = 6 classes). C2/C3: the -4clips/-5clips
#   configs.
# - VCOP's tuple (Sec. 4.1 of VCOP): 16-frame clips, 8 frames apart, 112x112
#   crops of 128x171 frames; pair MLP with 512 units, dropout 0.5. Optimiser
#   as vcop_r3d-18_1xb8-16x112x112-3clips-300e_ucf101-split1.py (SGD lr 1e-3,
#   momentum 0.9, weight decay 5e-4, batch 8).
# - augmentation (supp. C.3): resize, random crop, colour jitter, horizontal
#   flip, each drawn once per tuple (all clips share it, so it carries no
#   order cue). The small-angle "Random Rotation" is not implemented.
# Our choice: 200 epochs (the study's longest, Sec. 4.1, Table 3; VCOP: 300)
# with 10x lr steps at 100 and 150.
_base_ = [
    '../_base_/datasets/kinetics400_50k.py', '../_base_/default_runtime.py'
]

num_clips = 3
model = dict(
    type='VCOP',
    backbone=dict(type='R2Plus1DVCOP', layer_sizes=(1, 1, 1, 1)),
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
    dict(
        type='ClipColorJitter',
        brightness=0.4,
        contrast=0.4,
        saturation=0.4,
        hue=0.1,
        p=0.8),
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

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=200, val_interval=200)
val_cfg = None
val_dataloader = None
val_evaluator = None

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=5e-4))
param_scheduler = [
    dict(type='MultiStepLR', milestones=[100, 150], gamma=0.1, by_epoch=True)
]
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=3))
auto_scale_lr = dict(enable=False, base_batch_size=8)
