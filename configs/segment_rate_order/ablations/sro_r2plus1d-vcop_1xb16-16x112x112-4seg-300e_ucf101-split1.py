# Table III: n = 4 segments (4! = 24 order classes) instead of 3; the
# shuffle similarity splits the embedding into 4 parts, so its size is 128.
_base_ = ['../sro_r2plus1d-vcop_1xb16-16x112x112-300e_ucf101-split1.py']

num_segments = 4
model = dict(
    neck=dict(out_channels=128),
    order_head=dict(num_segments=num_segments),
    rate_head=dict(num_segments=num_segments),
    loss_contrast=dict(num_parts=num_segments))

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SegmentRateOrderSampleClips',
        clip_len=16,
        num_segments=4,
        rate_range=(1, 8),
        num_clips=2),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(171, 128), keep_ratio=False),
    {{_base_.clip_augment}},
    dict(type='FormatShape', input_format='NCTHW'),
    {{_base_.pack_inputs}},
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
