# VideoMAE, tiny CPU setting on the embedded synthetic motion dataset.
# Scaled down from the paper setting
# (videomae_vit-b-p16_64xb32-16x224x224-mask0.9-800e_kinetics400.py):
# 8-frame 32x32 clips, patch 8, tubelet 2 (4x4x4 tokens), tube mask 0.9
# (14 of 16 positions per time slice), a 4-block 96-wide ViT and a 2-block
# 48-wide decoder, normalised-pixel MSE.
_base_ = [
    '../_base_/models/videomae_vit_tiny.py',
    '../_base_/datasets/synthmotion.py', '../_base_/default_runtime.py'
]

train_pipeline = [
    dict(type='SafeDecordInit'),
    # contiguous frames, as the retrieval protocol's clips
    # (configs/_base_/datasets/synthmotion.py)
    dict(type='SampleFrames', clip_len=8, frame_interval=1, num_clips=1),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    # multi-scale crop of the authors' pre-training pipeline
    # (scales 1, .875, .75, .66 of the short side), then the input size
    dict(
        type='MultiScaleCrop',
        input_size=32,
        scales=(1, .875, .75, .66),
        random_crop=False,
        max_wh_scale_gap=1),
    dict(type='Resize', scale=(32, 32), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='TubeMaskGenerator', input_size=(4, 4, 4), mask_ratio=0.9),
    dict(type='PackSSLInputs', target_keys=('mask', ))
]
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoListDataset',
        ann_file={{_base_.ann_file_train}},
        data_prefix=dict(video={{_base_.data_root}}),
        pipeline=train_pipeline))

max_epochs = 40
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=1000)
val_cfg = None
val_dataloader = None
val_evaluator = None

# AdamW with the paper's betas and weight decay (VideoMAE appendix,
# pre-training settings; authors' scripts). The paper's lr, 1.5e-4 x
# batch / 256, would be 4.7e-6 at batch 8: far too small for 40 epochs on a
# CPU, so lr is raised to 1e-3 with a 5-epoch warm-up (paper: 40 of 800).
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='AdamW', lr=1e-3, betas=(0.9, 0.95), weight_decay=0.05),
    # no decay on norms, biases, q/v biases and the mask token, as the
    # authors' optimizer factory (1-D parameters and mask_token)
    paramwise_cfg=dict(
        norm_decay_mult=0.,
        bias_decay_mult=0.,
        custom_keys={
            '.q_bias': dict(decay_mult=0.),
            '.v_bias': dict(decay_mult=0.),
            'mask_token': dict(decay_mult=0.)
        }))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.01,
        by_epoch=True,
        begin=0,
        end=5,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        eta_min=1e-5,
        by_epoch=True,
        begin=5,
        convert_to_iter_based=True)
]
default_hooks = dict(
    checkpoint=dict(interval=10, max_keep_ckpts=2), logger=dict(interval=10))
randomness = dict(seed=0)
auto_scale_lr = dict(enable=False, base_batch_size=8)
