# CVRL tiny on SynthMotion with the per-clip flip and photometric
# augmentations moved from the CPU pipeline into the data preprocessor
# (issue 16 item 8): BatchAugmentPreprocessor runs them batched on the
# model's device (the GPU where there is one; the same code on the CPU),
# one random draw per clip as PerClipTransform did. The CPU pipeline keeps
# decoding and the per-clip crop/resize. Same ranges and order as
# configs/cvrl/cvrl_r3d-tiny_1xb16-8x32x32-2clips-40e_synthmotion.py; the
# draws come from torch's RNG instead of numpy's and values are not
# rounded to uint8 between the ops (see BatchAugmentPreprocessor).
_base_ = ['../../cvrl/cvrl_r3d-tiny_1xb16-8x32x32-2clips-40e_synthmotion.py']

model = dict(
    data_preprocessor=dict(
        type='BatchAugmentPreprocessor',
        batch_augments=[
            dict(type='BatchClipFlip', p=0.5),
            dict(
                type='BatchClipColorJitter',
                brightness=0.4,
                contrast=0.4,
                saturation=0.4,
                hue=0.1,
                p=0.8),
            dict(type='BatchClipGrayscale', p=0.2),
            dict(type='BatchClipGamma', gamma=(0.7, 1.3), p=0.5),
            dict(type='BatchClipGaussianBlur', sigma=(0.1, 0.5), p=0.5),
        ]))

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='CVRLSampleClips',
        clip_len=8,
        frame_interval=1,
        interval_dist='decreasing'),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    dict(
        type='PerClipTransform',
        transforms=[
            dict(
                type='RandomResizedCrop',
                area_range=(0.3, 1.0),
                aspect_ratio_range=(0.5, 2.0)),
            dict(type='Resize', scale=(32, 32), keep_ratio=False),
        ]),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
