# Multi-task SSL, paper setting (Jeyaprabhavathi, "Self-supervised
# multi-modal video feature representation learning for scalable action
# recognition in unlabeled visual datasets"): UCF101 split 1 (Sec. 4.2),
# 64-frame clips at 224 px (Table 1, Table 3), a per-frame 2D ResNet-50 up
# to layer3 (14 x 14 x 1024 maps, Table 3) + a temporal transformer of
# width 1024 (64 x 1024 output, Table 3), 2 views (Sec. 3.2), mask ratio
# 0.45 (Table 7), tau 0.07 (Table 7), AdamW lr 3e-4, weight decay 1e-3,
# batch 16, 100 epochs (Table 7), fixed seeds (Sec. 4). Mixed precision
# (Sec. 4): tools/train.py ... --amp on a GPU.
# Not given by the paper (mmssl's choices, docs/methods/multitask_ssl.md):
# transformer depth 4 / 8 heads, the decoder, the heads' MLPs, alpha = beta
# = gamma = 1, 4 order segments, augmentation strengths, cosine schedule.
_base_ = [
    '../_base_/models/multitask_ssl.py',
    '../_base_/models/cnn_temporal_transformer_r50.py',
    '../_base_/datasets/ucf101_split1.py', '../_base_/default_runtime.py'
]

clip_len = 64
crop_size = 224
patch_size = 16  # = ResNet-50 layer3's output stride: 14 x 14 patches
num_segments = 4
mask_ratio = 0.45

model = dict(backbone={{_base_.cnn_tt_r50_backbone}})

train_pipeline = [
    dict(type='SafeDecordInit'),
    # Table 2 "temporal shift": the two views start at different times
    dict(
        type='CVRLSampleClips',
        clip_len=clip_len,
        frame_interval=1,
        interval_dist='uniform'),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 256)),
    dict(
        type='PerClipTransform',
        transforms=[
            dict(  # Table 2: random crop
                type='RandomResizedCrop',
                area_range=(0.4, 1.0),
                aspect_ratio_range=(0.75, 4 / 3)),
            dict(type='Resize', scale=(crop_size, crop_size),
                 keep_ratio=False),
            dict(type='Flip', flip_ratio=0.5),  # Table 2: mirroring
            dict(type='ClipRandomRotation', degrees=10, p=0.5),
            dict(
                type='ClipColorJitter',
                brightness=0.4,
                contrast=0,
                saturation=0,
                hue=0,
                p=0.8),
            dict(type='ClipGaussianBlur', sigma=(0.1, 2.0), p=0.5),
            dict(type='ClipGaussianNoise', std=10., p=0.5),  # Table 2
            dict(type='ClipMotionJitter', max_shift=4, p=0.5),
        ]),
    dict(
        type='SpatioTemporalMaskGenerator',
        input_size=(clip_len, crop_size // patch_size,
                    crop_size // patch_size),
        mask_ratio=mask_ratio),
    dict(type='TemporalPretextLabels', num_segments=num_segments),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(
        type='PackSSLInputs',
        target_keys=('mask', 'order_label', 'direction_label'))
]
train_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoListDataset',
        ann_file={{_base_.ann_file_train}},
        data_prefix=dict(video={{_base_.data_root}}),
        pipeline=train_pipeline))

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=100, val_interval=1000)
val_cfg = None
val_dataloader = None
val_evaluator = None
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=3e-4, weight_decay=1e-3),
    clip_grad=dict(max_norm=40, norm_type=2))
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=3e-6, by_epoch=True)
]
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=2))
randomness = dict(seed=0)
auto_scale_lr = dict(enable=False, base_batch_size=16)
