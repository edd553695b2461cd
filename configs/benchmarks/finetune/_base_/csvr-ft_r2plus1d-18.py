# CSVR fine-tuning recipe (CSVR: "Collaboratively Self-supervised Video
# Representation Learning for Action Recognition", Sec. "Finetuning"):
# - backbone initialised from the pretrained network except the last FC
#   layer; dropout 0.3 before the (new) classification layer.
# - SGD (momentum 0.9 as its pretraining; the fine-tuning text gives none),
#   batch B = 32, cosine annealing, 100 epochs.
#   UCF101: lr = 1e-4 x B = 3.2e-3, weight decay 3e-3 (here; Diving48 and
#   SSv2 too, which CSVR does not fine-tune on).
#   HMDB51: lr = 2e-4 x B = 6.4e-3, weight decay 2e-3 (the hmdb51 configs).
# - clips as its pretraining: 16 frames at temporal stride 4, 112x112;
#   random crop, random flip, Gaussian blur, colour jitter (strengths not
#   given: SimCLR-style blur sigma 0.1-2.0 p 0.5, ClipColorJitter defaults).
# - Backbone: R(2+1)D-18 (its ablation backbone); swap `model.backbone` for
#   the backbone the checkpoint was pretrained with.
# - Test views are not stated: ten uniformly spaced clips x centre crop (as
#   its retrieval protocol samples ten clips per video).
_base_ = [
    './recognizer3d_finetune.py',
    '../../../_base_/models/backbones/r2plus1d_18.py'
]

model = dict(
    backbone={{_base_.backbone}},
    cls_head=dict(
        type='I3DHead',
        num_classes=101,  # set by the dataset file
        in_channels=512,
        spatial_type='avg',
        dropout_ratio=0.3,
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
    dict(type='ClipGaussianBlur', sigma=(0.1, 2.0), p=0.5),
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
    dict(type='CenterCrop', crop_size=112),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(batch_size=32, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=32, dataset=dict(pipeline=val_pipeline))
test_dataloader = dict(dataset=dict(pipeline=test_pipeline))

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=100, val_interval=5)
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=3.2e-3, momentum=0.9, weight_decay=3e-3))
param_scheduler = [
    dict(
        type='CosineAnnealingLR',
        eta_min=0,
        by_epoch=True,
        convert_to_iter_based=True)
]
auto_scale_lr = dict(enable=False, base_batch_size=32)
