# PRP, tiny CPU setting on the embedded synthetic motion dataset: the narrow
# 1-block-per-stage R3D of configs/_base_/models/vcop_r3d_tiny.py (its VCOP
# head replaced), 32x32 crops, PRP's 4 rates {1, 2, 4, 8} (complexity C3).
# 6-frame clips so that the 8x clip (6 x 8 = 48 frames) fits the 48-frame
# SynthMotion videos without wrapping. Narrow decoder (64 -> 32/16/16).
# The paper setting is
# prp_r2plus1d-vcop_1xb8-16x112x112-4rates-200e_k400-50k.py.
_base_ = [
    '../_base_/models/vcop_r3d_tiny.py', '../_base_/datasets/synthmotion.py',
    '../_base_/schedules/sgd_cosine_40e_synthmotion.py',
    '../_base_/default_runtime.py'
]

rates = (1, 2, 4, 8)
clip_len = 6
model = dict(
    type='PRP',
    head=dict(
        _delete_=True,
        type='PRPHead',
        num_classes=4,
        cls_channels=64,
        rec_channels=64,
        adapter_kernel=3,
        decoder_channels=(32, 16, 16),
        upsample_mode='nearest',
        recon_targets='all',
        motion_attention=dict(
            low=0.8, high=2.0, patch_frac=0.25, stride_frac=1 / 16),
        loss_cls=dict(type='CrossEntropyLoss', loss_weight=0.1),
        loss_recon=dict(
            type='MaskedReconstructionLoss', loss_type='mse',
            loss_weight=1.0)))

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(type='PRPSampleClip', clip_len=clip_len, rates=rates),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='RandomCrop', size=32),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs', target_keys=('rate_label', 'recon_mask'))
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

# PRP's SGD (momentum 0.9, weight decay 5e-4, lr 0.01, 10x on the rate fc)
# with cosine decay (configs/_base_/schedules/sgd_cosine_40e_synthmotion.py).
optim_wrapper = dict(
    paramwise_cfg=dict(custom_keys={'head.fc_cls': dict(lr_mult=10.0)}))
default_hooks = dict(
    checkpoint=dict(interval=10, max_keep_ckpts=2), logger=dict(interval=10))
