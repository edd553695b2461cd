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
# - CVRL's temporally consistent augmentation as the released TensorFlow
#   code (Model Garden official/projects/video_ssl, video_ssl_input.py and
#   video_ssl_preprocess_ops.py): per view, one draw per clip, crop area
#   (0.3, 1), aspect (0.5, 2), flip, colour jitter of strength 1 with p 0.8,
#   grayscale p 0.2; then asymmetric views: Gaussian blur sigma U(0.1, 2.0)
#   with p 1.0 on view 1 and p 0.1 on view 2, solarisation (threshold 0.5)
#   with p 0.2 on view 2 only. Blur kernel 11 px = the released
#   height // 10 rule at 112 px (odd). Plus gamma (study supp. C.3: "CVRL
#   ... includes grayscale and gamma adjustment as well"; strength not
#   given, our choice; not in the released code).
# - loss: NT-Xent over both views, tau = 0.1 (released code), negatives from
#   every rank; projection MLP of 3 hidden layers x 2048 (BN, ReLU) -> 128.
# - optimisation as the released K600 200-epoch config
#   (cvrl_pretrain_k600_200ep.yaml): SGD, momentum 0.9 (no Nesterov), lr
#   0.32 per 1024 videos scaled linearly (0.16 at 8 x 64), L2 weight decay
#   1e-6 on the backbone's conv kernels only (the Model Garden passes the
#   regulariser to the backbone; the MLP head, norms and biases get none),
#   5 warm-up epochs (1787 of 71488 steps) then cosine decay to 0, and
#   synchronised BatchNorm (use_sync_bn: true), here sync_bn = 'torch'.
# Choices where the papers are silent for this setting (docs/methods/cvrl.md):
# batch 8 x 64 videos; 200 epochs (the study's longest schedule, Sec. 4.1,
# Table 3, and the released config's length).
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
        ]),
    # asymmetric views (released code): blur p 1.0 / 0.1, solarise view 2
    dict(
        type='PerViewTransform',
        view_transforms=[
            [
                dict(
                    type='ClipGaussianBlur',
                    sigma=(0.1, 2.0),
                    p=1.0,
                    kernel_size=11)
            ],
            [
                dict(
                    type='ClipGaussianBlur',
                    sigma=(0.1, 2.0),
                    p=0.1,
                    kernel_size=11),
                dict(type='ClipSolarize', p=0.2, threshold=0.5)
            ],
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
    optimizer=dict(type='SGD', lr=0.16, momentum=0.9, weight_decay=1e-6),
    # L2 on the backbone's kernels only, as the released Model Garden model
    paramwise_cfg=dict(
        norm_decay_mult=0.,
        bias_decay_mult=0.,
        custom_keys={'neck': dict(decay_mult=0.)}))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-3,
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
# Synchronised BatchNorm, as the released config (use_sync_bn: true): MMEngine
# converts every BN to torch's SyncBatchNorm only when the runner is
# distributed (tools/dist_train.sh), so single-process and CPU runs keep
# plain BN (torch's SyncBN has no CPU implementation).
sync_bn = 'torch'
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=3))
auto_scale_lr = dict(enable=False, base_batch_size=512)
