# Same Speed Localization pretext alone: a learnability check on
# constant-speed SynthMotion. Generate the data first:
#   python tools/data/generate_synthmotion.py --out-dir data/synthmotion_constant --motion constant
# Retrieval (tools/analysis_tools/retrieval.py) still uses the standard
# data/synthmotion, like every other tiny config.
#
# On the standard dataset the SpeedLoc pretext cannot be learned by the tiny R3D
# (docs/methods/tclr_family.md): the speed cue is hidden by accelerating
# motion, by independent per-clip random scaling and, on RGB clips, by
# appearance memorisation. This config removes those four obstacles, each a
# deviation from the paper setting (speedloc_r3d-18_1xb24-16x128x128-499e_ucf101-split1.py):
#   - constant-speed videos (--motion constant);
#   - one augmentation draw shared by the three clips of a tuple
#     (PerClipTransform num_groups=1) instead of one draw per clip;
#   - residual-frame input (ResidualFramesPreprocessor);
#   - same-video tuples only (cross_video_prob=0; the paper's C1 is 0.6);
# plus Adam 1e-3 with cosine decay, no dropout, 60 epochs.
# Measured: loss_speedloc 1.385 -> 0.648, acc_speedloc 0.76 (mean of the last 10
# epochs; chance 0.25). With RGB input instead it stays at chance; with
# C1 = 0.6 it reaches acc 0.43.
_base_ = ['./speedloc_r3d-tiny_1xb8-8x32x32-3clips-30e_synthmotion.py']

constant_root = 'data/synthmotion_constant'
model = dict(
    head=dict(dropout_ratio=0.0),
    cross_video_prob=0.0,
    data_preprocessor=dict(type='ResidualFramesPreprocessor'))

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SpeedLocTupleSampleClips',
        clip_len=8,
        num_clips=3,
        speeds=5,
        same_prob=0.75),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    dict(
        type='PerClipTransform',
        transforms={{_base_.speedloc_clip_aug_32}},
        num_groups=1),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs', target_keys=('speedloc_speeds', 'speedloc_label'))
]
train_dataloader = dict(
    dataset=dict(
        ann_file=f'{constant_root}/train_list.txt',
        data_prefix=dict(video=constant_root),
        pipeline=train_pipeline))

train_cfg = dict(max_epochs=60)
optim_wrapper = dict(
    optimizer=dict(_delete_=True, type='Adam', lr=1e-3, weight_decay=0))
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=1e-5, by_epoch=True)
]
