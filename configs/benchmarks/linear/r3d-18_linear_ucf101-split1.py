# Linear probe on the fly, UCF101 split 1, R3D-18 at 16x112x112 (paper-ish
# setting; docs/protocols/linear_probe.md). Frozen backbone including
# BatchNorm statistics (FrozenBackboneRecognizer3D); only the linear layer
# trains. Recipe: SGD momentum 0.9, lr 0.1, no weight decay, cosine decay,
# 100 epochs (the common linear evaluation: SimCLR; MAE's linear probing
# uses base lr 0.1, weight decay 0, 90 epochs), random crop + flip at train
# time (CVRL-style light augmentation), 10 clips x 3 crops at test.
#   python tools/train.py configs/benchmarks/linear/r3d-18_linear_ucf101-split1.py \
#       --cfg-options model.backbone_checkpoint=CKPT
# The fast path is tools/analysis_tools/extract_features.py +
# tools/analysis_tools/linear_probe.py (features cached once).
_base_ = ['../../_base_/default_runtime.py']

data_root = 'data/ucf101/videos'
ann_file_train = 'data/ucf101/ucf101_train_split_1_videos.txt'
ann_file_val = 'data/ucf101/ucf101_val_split_1_videos.txt'

model = dict(
    type='FrozenBackboneRecognizer3D',
    backbone_checkpoint=None,
    backbone=dict(
        type='ResNet3d',
        depth=18,
        pretrained=None,
        pretrained2d=False,
        conv1_kernel=(3, 7, 7),
        conv1_stride_t=1,
        pool1_stride_t=1,
        inflate=(1, 1, 1, 1)),
    cls_head=dict(
        type='I3DHead',
        num_classes=101,
        in_channels=512,
        spatial_type='avg',
        dropout_ratio=0.0,
        init_std=0.0,
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(type='SampleFrames', clip_len=16, frame_interval=1, num_clips=1),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='RandomCrop', size=112),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SampleFrames',
        clip_len=16,
        frame_interval=1,
        num_clips=10,
        test_mode=True),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 112)),
    dict(type='ThreeCrop', crop_size=112),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(
    batch_size=64,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoListDataset',
        ann_file=ann_file_train,
        data_prefix=dict(video=data_root),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=4,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='VideoListDataset',
        ann_file=ann_file_val,
        data_prefix=dict(video=data_root),
        pipeline=val_pipeline,
        test_mode=True))
val_evaluator = dict(type='AccMetric')
test_dataloader = val_dataloader
test_evaluator = val_evaluator

max_epochs = 100
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0))
param_scheduler = [
    dict(
        # no end / T_max: the cosine follows train_cfg.max_epochs, also
        # after --resume with more epochs (docs/reliability.md)
        type='CosineAnnealingLR',
        eta_min=0.0,
        by_epoch=True,
        begin=0)
]
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=2))
randomness = dict(seed=0)
