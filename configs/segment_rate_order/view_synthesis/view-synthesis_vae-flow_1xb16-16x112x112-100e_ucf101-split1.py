# Pre-training of the view-synthesis module of the segment sampling-rate /
# order method (III-G, Fig. 3): a VAE G synthesises a new view of a clip, a
# small CNN O estimates optical flow; G and O have their own optimizers.
# The paper gives no architecture, schedule or optimizer for this stage;
# every choice is listed in docs/methods/segment_rate_order_view_synthesis.md.
# The SSL stage (../sro_r2plus1d-vcop_1xb16-16x112x112-300e_ucf101-split1.py,
# view_synthesis_checkpoint) loads G from
# work_dirs/view_synthesis_ucf101/epoch_100.pth with prefix 'generator.'.
_base_ = [
    '../../_base_/datasets/ucf101_split1.py',
    '../../_base_/default_runtime.py', './_base_/view_synthesis_model.py'
]

# One clip of 16 consecutive frames per video ("sampling a video clip from
# the raw video", III-G); the spatial augmentation of IV-D.
train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(type='SampleFrames', clip_len=16, frame_interval=1, num_clips=1),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(171, 128), keep_ratio=False),
    dict(type='RandomCrop', size=112),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs')
]
train_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoListDataset',
        ann_file={{_base_.ann_file_train}},
        data_prefix=dict(video={{_base_.data_root}}),
        pipeline=train_pipeline))

train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=100, val_interval=100)
val_cfg = None
val_dataloader = None
val_evaluator = None
# no retrieval protocol for this stage (G is not the SSL encoder)
test_cfg = None
test_dataloader = None
test_evaluator = None
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=3))
# the path the SSL configs point at (--work-dir overrides it)
work_dir = 'work_dirs/view_synthesis_ucf101'
randomness = dict(seed=0)
auto_scale_lr = dict(enable=False, base_batch_size=16)
