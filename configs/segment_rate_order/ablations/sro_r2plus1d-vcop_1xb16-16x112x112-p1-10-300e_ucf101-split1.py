# Table IV: candidate sampling rates p = [1, 10] instead of [1, 8].
_base_ = ['../sro_r2plus1d-vcop_1xb16-16x112x112-300e_ucf101-split1.py']

model = dict(rate_head=dict(max_rate=10))

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SegmentRateOrderSampleClips',
        clip_len=16,
        num_segments=3,
        rate_range=(1, 10),
        num_clips=2),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(171, 128), keep_ratio=False),
    {{_base_.clip_augment}},
    dict(type='FormatShape', input_format='NCTHW'),
    {{_base_.pack_inputs}},
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
