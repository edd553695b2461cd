# TCLR tiny on residual frames (frame differences of the normalised clips,
# Tao et al. 2020; docs/methods/tclr_family.md). Residual frames shorten
# every clip by one frame, and the global-local loss needs the global clip's
# feature map to keep one timestep per local clip, so the clips are 12
# frames long (11 residual frames) instead of 8: the 4 dense local clips
# fill the 48-frame SynthMotion videos and the global clip (rate 4) spans
# 45 frames. Everything else as tclr_r3d-tiny_1xb8-8x32x32-11clips-30e_synthmotion.py.
_base_ = ['./tclr_r3d-tiny_1xb8-8x32x32-11clips-30e_synthmotion.py']

model = dict(data_preprocessor=dict(type='ResidualFramesPreprocessor'))

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='TCLRSampleClips',
        clip_len=12,
        num_local_clips={{_base_.num_local_clips}},
        local_rate=1,
        instance_mode='separate',
        instance_rates=(1, 2, 3, 4)),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='PerClipTransform', transforms={{_base_.tclr_clip_aug_32}}),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
