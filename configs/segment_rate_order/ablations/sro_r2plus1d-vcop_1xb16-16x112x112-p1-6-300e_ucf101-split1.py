# Table IV: candidate sampling rates p = [1, 6] instead of [1, 8].
_base_ = ['../sro_r2plus1d-vcop_1xb16-16x112x112-300e_ucf101-split1.py']

model = dict(rate_head=dict(max_rate=6))

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SegmentRateOrderSampleClips',
        clip_len=16,
        num_segments=3,
        rate_range=(1, 6),
        num_clips=2),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(171, 128), keep_ratio=False),
    dict(
        type='PerClipTransform',
        transforms=[
            dict(type='RandomCrop', size=112),
            dict(
                type='ClipColorJitter',
                brightness=0.4,
                contrast=0.4,
                saturation=0.4,
                hue=0.0,
                p=0.8),
            dict(type='Flip', flip_ratio=0.5),
        ]),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(
        type='PackSSLInputs', target_keys=('order_label', 'segment_rates'))
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
