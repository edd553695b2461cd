# CVRL (Qian et al., "Spatiotemporal Contrastive Video Representation
# Learning", CVPR 2021) in the setting of the benchmark study (Kumar et al.,
# "A Large-Scale Analysis on Contextual Self-Supervised Video Representation
# Learning"):
# - backbone: the study's medium-capacity R(2+1)D, 14.4M parameters (Sec. 3
#   "Spatio-temporal architectures", supp. Table 10), i.e. the zoo's
#   configs/_base_/models/backbones/r2plus1d_vcop.py. To change the backbone
#   change only model.backbone (the neck reads the backbone's channels).
# - data: K400-50k (supp. C.4); 16x112x112 clips (the study's resolution).
# - CVRL's temporal augmentation (Sec. 3.2): the gap between the two clips'
#   starts from the linearly decreasing distribution; 16 frames at stride 2
#   (CVRL's pretraining clips).
# - CVRL's temporally consistent spatial augmentation, one draw per clip
#   (authors' video_ssl code: crop area (0.3, 1), aspect (0.5, 2), flip,
#   colour jitter of strength 1 with p 0.8, grayscale p 0.2, Gaussian blur
#   sigma (0.1, 2.0)); plus gamma (study supp. C.3: "CVRL ... includes
#   grayscale and gamma adjustment as well"; strength not given, our choice).
# - loss: NT-Xent over both views, tau = 0.1 (authors' code), negatives from
#   every rank; projection MLP of 3 hidden layers x 2048 (BN, ReLU) -> 128.
# Choices where the papers are silent for this setting (docs/methods/cvrl.md):
# batch 8 x 64 videos; SGD (MMEngine has no LARS) with CVRL's lr 0.32 per
# 1024 videos scaled linearly (0.16), momentum 0.9, weight decay 1e-6,
# 5 warm-up epochs then cosine decay; 200 epochs (the study's longest
# schedule, Sec. 4.1, Table 3).
_base_ = [
    '../_base_/datasets/kinetics400_50k.py', '../_base_/default_runtime.py'
]

model = dict(
    type='CVRL',
    backbone=dict(type='R2Plus1DVCOP', layer_sizes=(1, 1, 1, 1)),
    neck=dict(
        type='MLPProjectionNeck',
        in_channels=None,
        hidden_channels=2048,
        num_hidden_layers=3,
        out_channels=128),
    head=dict(
        type='CVRLHead',
        loss=dict(
            type='InstanceContrastiveLoss',
            temperature=0.1,
            symmetric=True,
            gather_distributed=True)),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='CVRLSampleClips',
        clip_len=16,
        frame_interval=2,
        interval_dist='decreasing',
        power=1.0),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 128)),
    dict(
        type='PerClipTransform',
        transforms=[
            dict(
                type='RandomResizedCrop',
                area_range=(0.3, 1.0),
                aspect_ratio_range=(0.5, 2.0)),
            dict(type='Resize', scale=(112, 112), keep_ratio=False),
            dict(type='Flip', flip_ratio=0.5),
            dict(
                type='ClipColorJitter',
                brightness=0.8,
                contrast=0.8,
                saturation=0.8,
                hue=0.2,
                p=0.8),
            dict(type='ClipGrayscale', p=0.2),
            dict(type='ClipGamma', gamma=(0.7, 1.3), p=0.5),
            dict(type='ClipGaussianBlur', sigma=(0.1, 2.0), p=0.5),
        ]),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs')
]
train_dataloader = dict(
    batch_size=64,
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
    optimizer=dict(type='SGD', lr=0.16, momentum=0.9, weight_decay=1e-6))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.01,
        by_epoch=True,
        begin=0,
        end=5,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        eta_min=0.0,
        by_epoch=True,
        begin=5)
]
# CVRL normalises with global (cross-device) BN. On GPUs add
# sync_bn = 'torch' (MMEngine converts BN to SyncBN in distributed runs);
# not set here because torch's SyncBN has no CPU (gloo) implementation.
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=3))
auto_scale_lr = dict(enable=False, base_batch_size=512)
