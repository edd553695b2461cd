# PRP tiny, task complexity C1: rates (1, 2).
_base_ = ['./prp_r3d-tiny_1xb8-6x32x32-4rates-40e_synthmotion.py']

rates = (1, 2)
model = dict(head=dict(num_classes=2))
train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(type='PRPSampleClip', clip_len=6, rates=rates),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='RandomCrop', size=32),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs', target_keys=('rate_label', 'recon_mask'))
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
