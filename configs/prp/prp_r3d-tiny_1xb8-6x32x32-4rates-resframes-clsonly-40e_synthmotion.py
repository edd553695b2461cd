# PRP's discriminative branch alone (playback-rate classification, 4 rates)
# on residual frames: a learnability check of the rate classifier on
# SynthMotion. Differences from the tiny PRP config (each a deviation from
# the paper): no decoder / reconstruction loss (PRP reconstructs the skipped
# RGB frames, which residual input would turn into residual targets), the
# classification weight raised from 0.1 to 1.0, residual-frame input
# (ResidualFramesPreprocessor), and the sampler skips the frames only the
# decoder needs.
# Measured (docs/methods/prp.md): acc_rate 0.67 over the last 10 epochs
# (chance 0.25), retrieval R@1 0.312 against 0.125 for random init; the
# same on RGB clips stays at chance (0.27).
_base_ = ['./prp_r3d-tiny_1xb8-6x32x32-4rates-40e_synthmotion.py']

model = dict(
    head=dict(
        loss_recon=None, loss_cls=dict(type='CrossEntropyLoss',
                                       loss_weight=1.0)),
    data_preprocessor=dict(type='ResidualFramesPreprocessor'))

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='PRPSampleClip',
        clip_len={{_base_.clip_len}},
        rates={{_base_.rates}},
        with_skipped=False),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='RandomCrop', size=32),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs', target_keys=('rate_label', ))
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
