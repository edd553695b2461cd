# View-synthesis pre-training (III-G), tiny CPU setting on the embedded
# SynthMotion dataset: 8x32x32 clips, narrow G / O / feature extractor,
# batch 8, 20 epochs (320 iterations), Adam lr 1e-3. The paper setting is
# view-synthesis_vae-flow_1xb16-16x112x112-100e_ucf101-split1.py; see
# docs/methods/segment_rate_order_view_synthesis.md for the measured curves.
# Load G in an SSL config with dict(type='ViewSynthesisVAE',
# base_channels=16, latent_channels=8, init_cfg=dict(type='Pretrained',
# checkpoint='work_dirs/view_synthesis_synthmotion/epoch_20.pth',
# prefix='generator.')).
_base_ = [
    '../../_base_/datasets/synthmotion.py', '../../_base_/default_runtime.py',
    './_base_/view_synthesis_model.py'
]

model = dict(
    # 3x8x32x32 -> latent 8x2x4x4 -> 3x8x32x32
    generator=dict(base_channels=16, latent_channels=8),
    flow_estimator=dict(base_channels=8),
    feature_extractor=dict(stage_blocks=(1, 1, 1, 1), base_channels=16))

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(type='SampleFrames', clip_len=8, frame_interval=1, num_clips=1),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='RandomCrop', size=32),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs')
]
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoListDataset',
        ann_file={{_base_.ann_file_train}},
        data_prefix=dict(video={{_base_.data_root}}),
        pipeline=train_pipeline))
optim_wrapper = dict(
    generator=dict(optimizer=dict(lr=1e-3)),
    flow_estimator=dict(optimizer=dict(lr=1e-3)))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=20, val_interval=20)
val_cfg = None
val_dataloader = None
val_evaluator = None
# the synthmotion base brings the retrieval protocol: not for this stage
test_cfg = None
test_dataloader = None
test_evaluator = None
default_hooks = dict(
    checkpoint=dict(interval=5, max_keep_ckpts=2), logger=dict(interval=4))
work_dir = 'work_dirs/view_synthesis_synthmotion'
randomness = dict(seed=0)
auto_scale_lr = dict(enable=False, base_batch_size=8)
