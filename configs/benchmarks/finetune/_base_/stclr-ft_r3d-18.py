# STCLR fine-tuning recipe (Altabrawee & Mohd Noor, "STCLR: Sparse Temporal
# Contrastive Learning for Video Representation", Neurocomputing), default
# action recognition settings of Sec. 4.2.2:
# - R3D-18 backbone initialised from the self-supervised checkpoint, a new
#   randomly initialised head of two FC layers with dropout 0.9 in between
#   (MLPClsHead; hidden width 512 is our choice, the paper gives none);
#   all layers trained with cross-entropy.
# - 16x112x112 clips at skip rate ("speed") 4; resize to 128x171, random
#   112x112 crop, random horizontal flip, colour jitter (strength not given:
#   ClipColorJitter defaults).
# - SGD lr 3e-3, momentum 0.9, weight decay 6e-3, batch 16, 460 epochs,
#   one-cycle schedule.
# - Test: ten crops (centre + 4 corners, each also flipped) x ten uniformly
#   spaced clips per video, predicted probabilities averaged (Sec. 4.2.2).
#   Sec. 4.2.3 uses the centre crop only: TenCrop -> CenterCrop below.
# Per-split changes of Sec. 4.3.2 (UCF101 split 3, HMDB51) are in the split
# configs. One-cycle: MMEngine's OneCycleLR is not used because its state
# dict pickles a bound method into the checkpoint, which torch's weights_only
# loading refuses; the same shape is LinearLR warm-up from lr / 25 over 30 %
# of training + cosine annealing to lr / 2.5e5 (torch's OneCycleLR defaults,
# warm-up linear instead of cosine), as configs/stclr/speedloc_*.py.
_base_ = [
    './recognizer3d_finetune.py',
    '../../../_base_/models/backbones/r3d_18.py'
]

model = dict(
    backbone={{_base_.backbone}},
    cls_head=dict(
        type='MLPClsHead',
        num_classes=101,  # set by the dataset file
        in_channels=512,
        hidden_channels=512,
        dropout_ratio=0.9,
        average_clips='prob'))

clip_len = 16
frame_interval = 4
train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SampleFrames',
        clip_len=clip_len,
        frame_interval=frame_interval,
        num_clips=1),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(171, 128), keep_ratio=False),
    dict(type='RandomCrop', size=112),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='ClipColorJitter'),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
val_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SampleFrames',
        clip_len=clip_len,
        frame_interval=frame_interval,
        num_clips=1,
        test_mode=True),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(171, 128), keep_ratio=False),
    dict(type='CenterCrop', crop_size=112),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
test_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SampleFrames',
        clip_len=clip_len,
        frame_interval=frame_interval,
        num_clips=10,
        test_mode=True),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(171, 128), keep_ratio=False),
    dict(type='TenCrop', crop_size=112),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(batch_size=16, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=16, dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=460, val_interval=10)
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=3e-3, momentum=0.9, weight_decay=6e-3))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.04,
        begin=0,
        end=138,  # 30 % of 460 epochs
        by_epoch=True,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        eta_min=1.2e-8,  # 3e-3 / 2.5e5
        begin=138,
        by_epoch=True,
        convert_to_iter_based=True)
]
auto_scale_lr = dict(enable=False, base_batch_size=16)
