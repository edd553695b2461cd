# RSPNet (Chen et al., "RSPNet: Relative Speed Perception for Unsupervised
# Video Representation Learning", AAAI 2021) in the setting of the benchmark
# study (Kumar et al., "A Large-Scale Analysis on Contextual Self-Supervised
# Video Representation Learning"):
# - backbone: the study's medium-capacity R(2+1)D, 14.4M parameters (Sec. 3,
#   supp. Table 10), i.e. configs/_base_/models/backbones/r2plus1d_vcop.py,
#   the "r2plus1d-vcop" of the authors' code. To change the backbone change
#   only model.backbone.
# - data: K400-50k (supp. C.4); 16x112x112 clips.
# - queue k = 16384 (study supp. C.3), momentum 0.999, tau = 0.07, 128-d
#   linear appearance and speed projections (authors' moco config).
# - speeds 1x and 2x (authors' diff_speed=[2]); the two key clips share one
#   spatial augmentation; augmentation of the authors' pretraining: random
#   crop (area 0.4-1), grayscale 0.2, colour jitter 0.4 (hue 0.4), flip.
# - losses: RSP margin 2.0 on similarities / 0.07 and A-VID InfoNCE, weights
#   1 and 1 (authors' code).
# - optimisation (authors' r2plus1d config): batch 4 x 32, SGD lr 0.05 per
#   64 videos scaled to the batch (0.1), momentum 0.9, weight decay 1e-4,
#   cosine decay to lr / 1000; 200 epochs (authors' and the study's longest).
_base_ = [
    '../_base_/datasets/kinetics400_50k.py', '../_base_/default_runtime.py'
]

model = dict(
    type='RSPNet',
    queue_size=16384,
    momentum=0.999,
    backbone=dict(type='R2Plus1DVCOP', layer_sizes=(1, 1, 1, 1)),
    neck=dict(
        type='ParallelNecks',
        necks=dict(
            appearance=dict(
                type='MLPProjectionNeck', in_channels=None, out_channels=128),
            speed=dict(
                type='MLPProjectionNeck', in_channels=None,
                out_channels=128))),
    head=dict(
        type='RSPNetHead',
        loss_speed=dict(
            type='TripletMarginLoss',
            metric='cosine',
            margin=2.0,
            temperature=0.07,
            loss_weight=1.0),
        loss_appearance=dict(
            type='QueueInfoNCELoss', temperature=0.07, loss_weight=1.0)),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(type='RSPNetSampleClips', clip_len=16, speeds=(1, 2)),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 128)),
    dict(
        type='ClipGroupsTransform',
        groups=((0, ), (1, 2)),
        transforms=[
            dict(
                type='RandomResizedCrop',
                area_range=(0.4, 1.0),
                aspect_ratio_range=(0.75, 4 / 3)),
            dict(type='Resize', scale=(112, 112), keep_ratio=False),
            dict(type='ClipGrayscale', p=0.2),
            dict(
                type='ClipColorJitter',
                brightness=0.4,
                contrast=0.4,
                saturation=0.4,
                hue=0.4,
                p=1.0),
            dict(type='Flip', flip_ratio=0.5),
        ]),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs', target_keys=('speed_label', ))
]
train_dataloader = dict(
    batch_size=32,
    num_workers=8,
    persistent_workers=True,
    drop_last=True,
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
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=1e-4))
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=1e-4, by_epoch=True)
]
# the momentum update and the enqueue run after DDP's step
model_wrapper_cfg = dict(
    type='mmssl.models.utils.SSLDistributedDataParallel')
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=3))
auto_scale_lr = dict(enable=False, base_batch_size=128)
