# Simplified TCLR (Altabrawee & Mohd Noor, "STCLR: Sparse Temporal
# Contrastive Learning for Video Representation", Neurocomputing, Sec.
# 4.2.2): L_IC (Eq. 2) + sparse local-local L_SLL (Eq. 3), no global-local.
# - R3D-18, 16x112x112 clips, projection MLP with one hidden layer.
# - Five local clips at random locations with skip rates 1, 4, 8, 16, 24
#   (Sec. 4.2.2; Sec. 4.2.4 and 4.3.1 use 1, 4, 8, 16, 32 for STCLR).
# - Instance pair: two of the local clips (per-sample random, different
#   rates): Table 7 counts ten clips per video for the Simplified TCLR.
#   instance_source='separate' adds two dedicated instance clips instead.
# - TCLR augmentations per clip (colour jitter, flip, cut-out, grayscale,
#   channel dropping, random crop and scaling).
# - Adam lr 1e-3, temperature 0.3, weight decay 1e-9, batch 38, lr / 10 when
#   the training loss has not decreased for 12 epochs, 400 epochs.
# - Loss weights, Eq. 1 with Eq. 2 and Eq. 3 as written: L_IC^i is one
#   term per video, L_SLL^i sums over the n local clips of video i (Eq. 3),
#   both averaged over the batch's videos. The losses return per-anchor
#   means, so L_SLL gets loss_weight = n = 5 and L_IC 1
#   (docs/methods/tclr_family.md, "Loss weights"). Both use the anchors of
#   the equations only (symmetric=False).
_base_ = [
    '../_base_/models/tclr_family_r3d_18.py',
    '../_base_/datasets/ucf101_split1_tclr_retrieval.py',
    '../_base_/datasets/tclr_clip_augment.py',
    '../_base_/default_runtime.py'
]

skip_rates = (1, 4, 8, 16, 24)
num_local_clips = 5
model = dict(
    type='SimplifiedTCLR',
    num_local_clips=num_local_clips,
    instance_source='local',
    backbone={{_base_.r3d_18_backbone}},
    neck={{_base_.r3d_18_neck}},
    head=dict(
        type='TemporalContrastiveHead',
        loss_instance=dict(type='InstanceContrastiveLoss', temperature=0.3),
        # Eq. 3 sums over the n clips: n x the per-anchor mean
        loss_local=dict(
            type='LocalLocalContrastiveLoss',
            temperature=0.3,
            loss_weight=num_local_clips),
        local_loss_name='loss_sll'),
    data_preprocessor={{_base_.data_preprocessor}})

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SparseLocalSampleClips',
        clip_len=16,
        skip_rates=skip_rates,
        instance_source='local',
        # UCF101 holds a few videos shorter than this layout's min_frames:
        # they are skipped and counted (SkipAccountingHook stops the run
        # above 10 %), like TCLR's released loader drops short videos.
        on_error='skip'),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(171, 128), keep_ratio=False),
    dict(type='PerClipTransform', transforms={{_base_.tclr_clip_aug_112}}),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs')
]
train_dataloader = dict(
    batch_size=38,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoListDataset',
        ann_file={{_base_.ann_file_train}},
        data_prefix=dict(video={{_base_.data_root}}),
        pipeline=train_pipeline))

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=400, val_interval=400)
val_cfg = None
val_dataloader = None
val_evaluator = None

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-3, weight_decay=1e-9))
# ReduceLROnPlateau on the training loss (no validation loop in
# pretraining): TrainLossPlateauHook steps it with the epoch's mean loss.
param_scheduler = [
    dict(
        type='ReduceOnPlateauLR',
        monitor='loss',
        rule='less',
        factor=0.1,
        patience=12)
]
custom_hooks = [dict(type='TrainLossPlateauHook', monitor='loss')]
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=3))
auto_scale_lr = dict(enable=False, base_batch_size=38)
