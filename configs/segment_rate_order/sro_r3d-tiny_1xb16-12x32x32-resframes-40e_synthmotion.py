# Segment sample-rate order prediction, tiny CPU setting on the embedded
# SynthMotion dataset (docs/methods/segment_rate_order.md, "Results on the
# embedded dataset"): order + rate + MoCo contrast with shuffle similarity
# (Table VI row 4; the view-synthesis variant is
# sro_r3d-tiny_1xb16-12x32x32-resframes-view-40e_synthmotion.py). Changes
# from the paper setting, for a 48-frame, 64x64 dataset and a CPU:
# - the narrow 1-block R3D of configs/_base_/models/vcop_r3d_tiny.py on
#   residual frames (as the VCOP tiny configs: on RGB the tiny network
#   solves temporal pretexts from appearance, docs/methods/vcop.md);
# - 12-frame 32x32 clips, rates p = [1, 4] (3 segments at distinct rates
#   from [1, 8] hardly fit 48 frames: the short-video rule would lower most
#   of them);
# - queue of 64 keys (128 training videos), m = 0.99, hidden widths 128;
# - SGD lr 0.05, cosine decay over 40 epochs, batch 16.
_base_ = [
    '../_base_/models/vcop_r3d_tiny.py', '../_base_/datasets/synthmotion.py',
    '../_base_/schedules/sgd_cosine_40e_synthmotion.py',
    '../_base_/default_runtime.py'
]

num_segments = 3
model = dict(
    _delete_=True,
    type='SegmentRateOrder',
    backbone={{_base_.model.backbone}},
    neck=dict(
        type='MLPProjectionNeck',
        in_channels=None,
        hidden_channels=128,
        num_hidden_layers=1,
        out_channels=126),
    order_head=dict(
        type='SegmentOrderHead',
        num_segments=num_segments,
        hidden_channels=128,
        loss_weight=1.0),
    rate_head=dict(
        type='SegmentRateHead',
        num_segments=num_segments,
        max_rate=4,
        hidden_channels=128,
        loss_weight=0.3),
    loss_contrast=dict(
        type='ShuffleInfoNCELoss',
        num_parts=num_segments,
        temperature=0.07,
        loss_weight=1.0),
    queue_size=64,
    momentum=0.99,
    data_preprocessor=dict(
        type='ResidualFramesPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))

# named so that the tiny ablation configs (ablations/sro_r3d-tiny_*) can
# rebuild the pipeline around another sampler with {{_base_.clip_augment}}
clip_augment = dict(
    type='PerClipTransform',
    transforms=[
        dict(type='RandomCrop', size=32),
        dict(
            type='ClipColorJitter',
            brightness=0.4,
            contrast=0.4,
            saturation=0.4,
            hue=0.0,
            p=0.8),
        dict(type='Flip', flip_ratio=0.5),
    ])
pack_inputs = dict(
    type='PackSSLInputs', target_keys=('order_label', 'segment_rates'))
train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SegmentRateOrderSampleClips',
        clip_len=12,
        num_segments=num_segments,
        rate_range=(1, 4),
        num_clips=2),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    clip_augment,
    dict(type='FormatShape', input_format='NCTHW'),
    pack_inputs,
]
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoListDataset',
        ann_file={{_base_.ann_file_train}},
        data_prefix=dict(video={{_base_.data_root}}),
        pipeline=train_pipeline))

optim_wrapper = dict(optimizer=dict(lr=0.05))
model_wrapper_cfg = dict(
    type='mmssl.models.utils.SSLDistributedDataParallel')
default_hooks = dict(
    checkpoint=dict(interval=10, max_keep_ckpts=2), logger=dict(interval=8))
auto_scale_lr = dict(base_batch_size=16)
