# Supervised fine-tuning of an mmssl-pretrained backbone with MMAction2's
# Recognizer3D on the synthetic motion dataset (tiny CPU setting).
# The pretrained checkpoint's `backbone.*` weights load directly:
#   python tools/train.py configs/benchmarks/finetune/r3d-tiny_finetune_synthmotion.py \
#       --cfg-options load_from=work_dirs/vcop/epoch_40.pth
# (the VCOP head's `head.*` keys are reported as unexpected and ignored).
_base_ = ['../../_base_/default_runtime.py']

data_root = 'data/synthmotion'
ann_file_train = f'{data_root}/train_list.txt'
ann_file_val = f'{data_root}/val_list.txt'

model = dict(
    type='Recognizer3D',
    backbone=dict(
        type='ResNet3d',
        depth=18,
        stage_blocks=(1, 1, 1, 1),
        base_channels=16,
        pretrained=None,
        pretrained2d=False,
        conv1_kernel=(3, 7, 7),
        conv1_stride_t=1,
        pool1_stride_t=1,
        inflate=(1, 1, 1, 1)),
    cls_head=dict(
        type='I3DHead',
        num_classes=8,
        in_channels=128,
        spatial_type='avg',
        dropout_ratio=0.5,
        average_clips='prob'),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(type='SampleFrames', clip_len=8, frame_interval=2, num_clips=1),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='RandomCrop', size=32),
    # no Flip: a horizontal flip turns 'move_right' into 'move_left' and
    # swaps the orbit directions (docs/datasets/synthmotion.md)
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SampleFrames',
        clip_len=8,
        frame_interval=2,
        num_clips=1,
        test_mode=True),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='CenterCrop', crop_size=32),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoListDataset',
        ann_file=ann_file_train,
        data_prefix=dict(video=data_root),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='VideoListDataset',
        ann_file=ann_file_val,
        data_prefix=dict(video=data_root),
        pipeline=val_pipeline,
        test_mode=True))
# AccMetric: acc/top1, acc/top5, acc/mean1; ClassificationReport adds macro
# precision/recall/F1 and a confusion-matrix PNG in vis_data/vis_image
# (docs/protocols/classification_metrics.md)
val_evaluator = [dict(type='AccMetric'), dict(type='ClassificationReport')]
test_dataloader = val_dataloader
test_evaluator = val_evaluator

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=20, val_interval=5)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4),
    clip_grad=dict(max_norm=40, norm_type=2))
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=1e-4, by_epoch=True)
]
default_hooks = dict(checkpoint=dict(interval=5, max_keep_ckpts=1))
randomness = dict(seed=0)
