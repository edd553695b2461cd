# VCOP tiny, task complexity C3 of the benchmark study (Sec. 4.2): 5 clips,
# 5! = 120 classes. clip_interval 2 instead of 4 so that the tuple
# (5 x 8 + 4 x 2 = 48 frames) fits the 48-frame SynthMotion videos without
# the short-video rule squeezing it (docs/methods/vcop.md).
_base_ = ['./vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py']

num_clips = 5
model = dict(head=dict(num_clips=num_clips))
train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='VCOPSampleClips', clip_len=8, num_clips=num_clips,
        clip_interval=2),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='RandomCrop', size=32),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs', target_keys=('order_label', ))
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
