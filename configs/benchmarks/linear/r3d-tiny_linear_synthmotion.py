# Linear probe on the fly (tiny CPU setting, embedded SynthMotion): a
# linear classifier (I3DHead) trained on a truly frozen backbone, BatchNorm
# statistics included (FrozenBackboneRecognizer3D, docs/protocols/
# linear_probe.md). Give it the pretrained backbone strictly:
#   python tools/train.py configs/benchmarks/linear/r3d-tiny_linear_synthmotion.py \
#       --cfg-options model.backbone_checkpoint=work_dirs/vcop/epoch_40.pth
# (not load_from: MMEngine loads that non-strictly and would probe a random
# backbone silently if the keys do not fit).
#
# The clips are the retrieval protocol's un-augmented ones (one centre clip
# of 8 frames, centre crop), the head starts at zero without dropout, and the
# schedule is the cached-feature probe's (SGD momentum 0.9, no weight decay,
# per-epoch cosine): with full-batch training (train_dataloader.batch_size
# >= number of videos) and tools/analysis_tools/linear_probe.py
# --no-standardize --num-clips 1 on the same checkpoint both paths give the
# same classifier up to float error (tests/test_evaluation/
# test_linear_probe_paths.py).
_base_ = [
    '../../_base_/default_runtime.py',
    # tiny_backbone / data_preprocessor: the VCOP and TCLR-family tiny R3D
    '../../_base_/models/tclr_family_r3d_tiny.py'
]

data_root = 'data/synthmotion'
ann_file_train = f'{data_root}/train_list.txt'
ann_file_val = f'{data_root}/val_list.txt'

model = dict(
    type='FrozenBackboneRecognizer3D',
    backbone_checkpoint=None,
    backbone={{_base_.tiny_backbone}},
    cls_head=dict(
        type='I3DHead',
        num_classes=8,
        in_channels=128,
        spatial_type='avg',
        dropout_ratio=0.0,
        init_std=0.0,  # zero start, as the cached-feature probe
        average_clips='prob'),
    data_preprocessor={{_base_.data_preprocessor}})

# configs/_base_/datasets/synthmotion.py's retrieval pipeline, one clip
probe_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SampleFrames',
        clip_len=8,
        frame_interval=1,
        num_clips=1,
        test_mode=True),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='CenterCrop', crop_size=32),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(
    batch_size=128,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoListDataset',
        ann_file=ann_file_train,
        data_prefix=dict(video=data_root),
        pipeline=probe_pipeline))
val_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='VideoListDataset',
        ann_file=ann_file_val,
        data_prefix=dict(video=data_root),
        pipeline=probe_pipeline,
        test_mode=True))
val_evaluator = dict(type='AccMetric')
test_dataloader = val_dataloader
test_evaluator = val_evaluator

max_epochs = 30
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=0.0))
param_scheduler = [
    dict(
        # no end / T_max: the cosine follows train_cfg.max_epochs, also
        # after --resume with more epochs (docs/reliability.md)
        type='CosineAnnealingLR',
        eta_min=0.0,
        by_epoch=True,
        begin=0)
]
default_hooks = dict(
    checkpoint=dict(interval=max_epochs, max_keep_ckpts=1),
    logger=dict(interval=1))
randomness = dict(seed=0)
