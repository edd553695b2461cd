# PRP (Yao et al., "Video Playback Rate Perception for Self-supervised
# Spatio-Temporal Representation Learning", CVPR 2020) in the setting of the
# benchmark study (Kumar et al., "A Large-Scale Analysis on Contextual
# Self-Supervised Video Representation Learning"):
# - backbone: the study's medium-capacity R(2+1)D, 14.4M parameters (Sec. 3,
#   supp. Table 10), i.e. the zoo's configs/_base_/models/backbones/
#   r2plus1d_vcop.py, the R(2+1)D of the PRP authors' code. To change the
#   backbone change only model.backbone (the head reads its channels).
# - data: K400-50k (supp. C.4); 16x112x112 clips (PRP; study Table 5).
# - task complexity C3 (Sec. 4.2, "dilation sampling rates from 2 to 4
#   classes"): PRP's 4 rates {1, 2, 4, 8}. C1/C2: the -2rates/-3rates
#   configs.
# - augmentation (supp. C.3): resize, random crop, colour jitter, horizontal
#   flip, drawn once per sample so clip and skipped frames match. The small-
#   angle "Random Rotation" is not implemented (docs/methods/prp.md).
# From the PRP authors' code: reconstruction at 2x the clip's frame rate,
# MSE weighted by their motion attention (a Gaussian, sigma 14 px, on the
# most moving 28x28 patch of frames 0, 5, 10, 15 of each raw 16-frame
# segment, scaled to [0.8, 2.0]; one map per segment) + 0.1 x rate
# cross-entropy, 3x3x3
# conv + BN + ReLU before the classifier and the decoder, decoder widths
# 256/128/64, SGD lr 0.01 (10x on the classifier fc), momentum 0.9, weight
# decay 5e-4, batch 8. Our choices (docs/methods/prp.md): 200 epochs (the
# study's longest, Sec. 4.1; PRP: 300) with 10x steps at 100 and 150 (PRP
# reduces on a validation plateau).
_base_ = [
    '../_base_/datasets/kinetics400_50k.py', '../_base_/default_runtime.py'
]

rates = (1, 2, 4, 8)
model = dict(
    type='PRP',
    backbone=dict(type='R2Plus1DVCOP', layer_sizes=(1, 1, 1, 1)),
    head=dict(
        type='PRPHead',
        num_classes=4,
        cls_channels=None,
        rec_channels=None,
        adapter_kernel=3,
        decoder_channels=(256, 128, 64),
        upsample_mode='nearest',
        recon_targets='all',
        # the original per-segment maps come with the data
        # (PRPMotionAttention); for mmssl's clip-level map instead, set
        # motion_attention=dict(low=0.8, high=2.0, patch_frac=0.25,
        # stride_frac=1 / 16) and drop PRPMotionFrames / PRPMotionAttention
        motion_attention=None,
        loss_cls=dict(type='CrossEntropyLoss', loss_weight=0.1),
        loss_recon=dict(
            type='MaskedReconstructionLoss', loss_type='mse',
            loss_weight=1.0)),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(type='PRPSampleClip', clip_len=16, rates=rates),
    # PRP's original motion attention: frames 0, 5, 10, 15 of every raw
    # 16-frame segment, decoded with the clip, turned into one Gaussian map
    # per segment after crop and flip (docs/methods/prp.md)
    dict(type='PRPMotionFrames', segment_len=16, offsets=(0, 5, 10, 15)),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(171, 128), keep_ratio=False),
    dict(type='RandomCrop', size=112),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='PRPMotionAttention', patch_frac=0.25, low=0.8, high=2.0),
    dict(
        type='ClipColorJitter',
        brightness=0.4,
        contrast=0.4,
        saturation=0.4,
        hue=0.1,
        p=0.8),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(
        type='PackSSLInputs',
        target_keys=('rate_label', 'recon_mask', 'motion_weight'))
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
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4),
    paramwise_cfg=dict(custom_keys={'head.fc_cls': dict(lr_mult=10.0)}))
param_scheduler = [
    dict(type='MultiStepLR', milestones=[100, 150], gamma=0.1, by_epoch=True)
]
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=3))
auto_scale_lr = dict(enable=False, base_batch_size=8)
