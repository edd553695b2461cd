# VCOP fine-tuning recipe: the authors' released train_classify.py (Xu et al.,
# "Self-supervised Spatiotemporal Learning via Video Clip Order Prediction",
# CVPR 2019, Sec. 4.2 "action recognition"; github
# xudejing/video-clip-order-prediction, defaults of its argument parser):
# - R3D of VCOP (R3DNet, one block per stage) initialised from the
#   pretrained network, a new linear classifier without dropout (I3DHead,
#   dropout 0).
# - 16 consecutive frames; resize to 128x171, random 112x112 crop, no flip.
# - SGD lr 1e-3, momentum 0.9, weight decay 5e-4, batch 8, 150 epochs. The
#   released script builds ReduceLROnPlateau but never steps it
#   (`# scheduler.step(val_loss)`): the learning rate stays constant.
# - Test: ten uniformly spaced clips x centre crop 112 of the 128x171 frames.
# Deviations (docs/protocols/finetune.md): no 800/400-video validation
# split held out of the train list, the last checkpoint is tested (the
# released script tests its best-validation-loss checkpoint); MMAction2
# averages softmax probabilities over clips (the released test averages
# logits). Clip starts: MMAction2's SampleFrames(test_mode=True) spaces them
# evenly from frame 0 to the last full clip, rounding, as the released
# np.linspace does, truncating (starts differ by at most one frame).
_base_ = [
    './recognizer3d_finetune.py',
    '../../../_base_/models/backbones/r3d_vcop.py'
]

model = dict(
    backbone={{_base_.backbone}},
    cls_head=dict(
        type='I3DHead',
        num_classes=101,  # set by the dataset file
        in_channels=512,
        spatial_type='avg',
        dropout_ratio=0,
        average_clips='prob'))

clip_len = 16
frame_interval = 1
train_augment = [
    dict(type='Resize', scale=(171, 128), keep_ratio=False),
    dict(type='RandomCrop', size=112),
]
centre_crop = [
    dict(type='Resize', scale=(171, 128), keep_ratio=False),
    dict(type='CenterCrop', crop_size=112),
]
decode = [dict(type='SafeDecordInit')]
pack = [
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
train_pipeline = decode + [
    dict(
        type='SampleFrames',
        clip_len=clip_len,
        frame_interval=frame_interval,
        num_clips=1),
    dict(type='DecordDecodeUnion')
] + train_augment + pack
val_pipeline = decode + [
    dict(
        type='SampleFrames',
        clip_len=clip_len,
        frame_interval=frame_interval,
        num_clips=1,
        test_mode=True),
    dict(type='DecordDecodeUnion')
] + centre_crop + pack
test_pipeline = decode + [
    dict(
        type='SampleFrames',
        clip_len=clip_len,
        frame_interval=frame_interval,
        num_clips=10,
        test_mode=True),
    dict(type='DecordDecodeUnion')
] + centre_crop + pack
train_dataloader = dict(batch_size=8, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=8, dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=150, val_interval=5)
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=5e-4))
param_scheduler = []  # constant learning rate (see above)
auto_scale_lr = dict(enable=False, base_batch_size=8)
