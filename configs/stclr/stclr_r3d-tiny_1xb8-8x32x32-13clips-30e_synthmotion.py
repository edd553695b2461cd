# STCLR (L_Pretext + L_IC + L_SLL, Eq. 1), tiny CPU setting on the embedded
# synthetic motion dataset (docs/methods/tclr_family.md): the Simplified
# TCLR tiny config plus one Same Speed Localization tuple per video. SpeedLoc
# speeds 1..5 (the paper's max skip rate 16 would span 121 frames of an
# 8-frame clip; the videos have 48). Cross-video tuples (C1) are composed
# from the SpeedLoc clips of other videos of the batch: no extra video reads.
_base_ = ['./simplified-tclr_r3d-tiny_1xb8-8x32x32-10clips-30e_synthmotion.py']

model = dict(
    type='STCLR',
    speedloc_head=dict(
        type='SameSpeedLocalizationHead',
        in_channels=128,
        num_clips=3,
        hidden_channels=128,
        dropout_ratio=0.5),
    speedloc_num_clips=3,
    cross_video_prob=0.6,  # C1 (STCLR Sec. 4.2.1)
    same_prob=0.75)  # C2; C3 = 1 - C2 = 0.25

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='STCLRSampleClips',
        clip_len=8,
        skip_rates='low',
        instance_source='local',
        speedloc_num_clips=3,
        speedloc_speeds=5,
        speedloc_same_prob=0.75),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='PerClipTransform', transforms={{_base_.tclr_clip_aug_32}}),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs', target_keys=('speedloc_speeds', 'speedloc_label'))
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
