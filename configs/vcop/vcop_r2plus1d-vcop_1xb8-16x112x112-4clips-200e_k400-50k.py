# VCOP, task complexity C2 of the benchmark study (Sec. 4.2): 4 clips,
# 4! = 24 classes; otherwise as the 3-clip config.
_base_ = ['./vcop_r2plus1d-vcop_1xb8-16x112x112-3clips-200e_k400-50k.py']

num_clips = 4
model = dict(head=dict(num_clips=num_clips))
train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='VCOPSampleClips',
        clip_len=16,
        num_clips=num_clips,
        clip_interval=8,
        frame_interval=1),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(171, 128), keep_ratio=False),
    dict(type='RandomCrop', size=112),
    dict(type='Flip', flip_ratio=0.5),
    dict(
        type='ClipColorJitter',
        brightness=0.4,
        contrast=0.4,
        saturation=0.4,
        hue=0.1,
        p=0.8),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs', target_keys=('order_label', ))
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
