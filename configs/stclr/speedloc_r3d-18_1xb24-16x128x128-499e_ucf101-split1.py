# Same Speed Localization pretext alone (Altabrawee & Mohd Noor, "STCLR",
# Neurocomputing, Sec. 3.3 and the "SpeedLoc pretext only" ablation, Sec. 4.2.1):
# - R3D-18; tuples of K=3 clips of 16x128x128; S=2, C1=0.6, C2=0.75,
#   C3=0.25, max skip rate 16, dropout 0.5, 4 classes [12, 13, 23, None].
# - Augmentations: random-sized crop, horizontal flip, Gaussian blur,
#   grayscale, colour jitter (per clip).
# - SGD lr 1e-2, momentum 0.9, weight decay 1e-4, batch 24, one-cycle
#   schedule, 499 epochs.
# Cross-video tuples (C1) are composed from other videos of the batch; see
# the STCLR config for the optional extra reads (ReadCrossVideoSpeedLocClips).
_base_ = [
    '../_base_/models/tclr_family_r3d_18.py',
    '../_base_/datasets/ucf101_split1_tclr_retrieval.py',
    '../_base_/datasets/tclr_clip_augment.py',
    '../_base_/default_runtime.py'
]

model = dict(
    type='SameSpeedLocalization',
    backbone={{_base_.r3d_18_backbone}},
    head=dict(
        type='SameSpeedLocalizationHead',
        in_channels=512,
        num_clips=3,
        hidden_channels=512,
        dropout_ratio=0.5),
    cross_video_prob=0.6,
    same_prob=0.75,
    data_preprocessor={{_base_.data_preprocessor}})

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SpeedLocTupleSampleClips',
        clip_len=16,
        num_clips=3,
        speeds=16,
        same_prob=0.75,
        none_prob=0.25,
        # UCF101 holds a few videos shorter than this layout's min_frames:
        # they are skipped and counted (SkipAccountingHook stops the run
        # above 10 %), like TCLR's released loader drops short videos.
        on_error='skip'),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(171, 128), keep_ratio=False),
    dict(type='PerClipTransform', transforms={{_base_.speedloc_clip_aug_128}}),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs', target_keys=('speedloc_speeds', 'speedloc_label'))
]
train_dataloader = dict(
    batch_size=24,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoListDataset',
        ann_file={{_base_.ann_file_train}},
        data_prefix=dict(video={{_base_.data_root}}),
        pipeline=train_pipeline))

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=499, val_interval=499)
val_cfg = None
val_dataloader = None
val_evaluator = None

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=1e-2, momentum=0.9, weight_decay=1e-4))
param_scheduler = [
    # one-cycle shape: warm up from lr / 25 to lr over 30 % of training,
    # then cosine annealing to lr / 2.5e5. MMEngine's OneCycleLR is not used:
    # its state dict pickles a bound method (the scheduler object) into the
    # checkpoint, which torch's weights_only loading refuses.
    dict(
        type='LinearLR',
        start_factor=0.04,
        begin=0,
        end=150,
        by_epoch=True,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        eta_min=4e-8,
        begin=150,
        by_epoch=True,
        convert_to_iter_based=True)
]
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=3))
auto_scale_lr = dict(enable=False, base_batch_size=24)
