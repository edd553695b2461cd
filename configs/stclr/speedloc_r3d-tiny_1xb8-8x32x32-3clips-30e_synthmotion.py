# Same Speed Localization pretext alone ("SpeedLoc pretext only", STCLR Sec.
# 4.2.1), tiny CPU setting on the embedded synthetic motion dataset
# (docs/methods/tclr_family.md). Scaled down from
# speedloc_r3d-18_1xb24-16x128x128-499e_ucf101-split1.py: 8-frame 32x32 clips,
# speeds 1..5 (so clips fit the 48-frame videos), batch 8, 30 epochs.
_base_ = [
    '../_base_/models/tclr_family_r3d_tiny.py',
    '../_base_/datasets/synthmotion.py',
    '../_base_/datasets/tclr_clip_augment.py',
    '../_base_/default_runtime.py'
]

model = dict(
    type='SameSpeedLocalization',
    backbone={{_base_.tiny_backbone}},
    head=dict(
        type='SameSpeedLocalizationHead',
        in_channels=128,
        num_clips=3,
        hidden_channels=128,
        dropout_ratio=0.5),
    cross_video_prob=0.6,  # C1
    same_prob=0.75,  # C2 (C3 = 0.25)
    data_preprocessor={{_base_.data_preprocessor}})

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SpeedLocTupleSampleClips',
        clip_len=8,
        num_clips=3,
        speeds=5,
        same_prob=0.75),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='PerClipTransform', transforms={{_base_.speedloc_clip_aug_32}}),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs', target_keys=('speedloc_speeds', 'speedloc_label'))
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

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=30, val_interval=1000)
val_cfg = None
val_dataloader = None
val_evaluator = None

# SGD, momentum 0.9, weight decay 1e-4, one-cycle schedule peaking at lr
# 1e-2 (STCLR Sec. 4.2.1; batch 24 there, 8 here).
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=1e-2, momentum=0.9, weight_decay=1e-4),
    clip_grad=dict(max_norm=40, norm_type=2))
param_scheduler = [
    # one-cycle shape: warm up from lr / 25 to lr over 30 % of training,
    # then cosine annealing to lr / 2.5e5. MMEngine's OneCycleLR is not used:
    # its state dict pickles a bound method (the scheduler object) into the
    # checkpoint, which torch's weights_only loading refuses.
    dict(
        type='LinearLR',
        start_factor=0.04,
        begin=0,
        end=9,
        by_epoch=True,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        eta_min=4e-8,
        begin=9,
        by_epoch=True,
        convert_to_iter_based=True)
]
default_hooks = dict(
    checkpoint=dict(interval=10, max_keep_ckpts=2), logger=dict(interval=8))
randomness = dict(seed=0)
auto_scale_lr = dict(enable=False, base_batch_size=8)
