# VCOP tiny, task complexity C2 of the benchmark study (Sec. 4.2, "increasing
# the number of shuffled clips from 3 to 5"): 4 clips, 4! = 24 classes. The
# tuple spans 4 x 8 + 3 x 4 = 44 of the 48 SynthMotion frames.
_base_ = ['./vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py']

num_clips = 4
model = dict(head=dict(num_clips=num_clips))
train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='VCOPSampleClips', clip_len=8, num_clips=num_clips,
        clip_interval=4),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='RandomCrop', size=32),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs', target_keys=('order_label', ))
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
