# PRP, task complexity C2 of the benchmark study (Sec. 4.2): 3 rate classes.
# The study does not list the sets; {1, 2, 4} is the first three of PRP's
# {1, 2, 4, 8} (nested sets, docs/methods/prp.md).
_base_ = ['./prp_r2plus1d-vcop_1xb8-16x112x112-4rates-200e_k400-50k.py']

rates = (1, 2, 4)
model = dict(head=dict(num_classes=3))
train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(type='PRPSampleClip', clip_len=16, rates=rates),
    # PRP's original motion attention: frames 0, 5, 10, 15 of every raw
    # 16-frame segment, decoded with the clip, turned into one Gaussian map
    # per segment after crop and flip (docs/methods/prp.md)
    dict(type='PRPMotionFrames', segment_len=16, offsets=(0, 5, 10, 15)),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(171, 128), keep_ratio=False),
    dict(type='RandomCrop', size=112),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='PRPMotionAttention', patch_frac=0.25, low=0.8, high=2.0),
    dict(
        type='ClipColorJitter',
        brightness=0.4,
        contrast=0.4,
        saturation=0.4,
        hue=0.1,
        p=0.8),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(
        type='PackSSLInputs',
        target_keys=('rate_label', 'recon_mask', 'motion_weight'))
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
