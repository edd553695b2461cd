# Paper pretraining setting of CSVR (Sec. IV-B) on UCF101 split 1: 16-frame
# current + future clips at temporal stride 4, 112x112 crops, K = 4 I-frames
# (the number per clip is not given), batch 16, SGD lr 0.0005 x 16 = 0.008,
# weight decay 0.005, momentum 0.9; random crop, flip, Gaussian blur and
# colour jitter on clips and I-frames (strengths not given: those of
# configs/_base_/datasets/synthmotion_articulated.py). Poses: an MMAction2
# skeleton .pkl made by tools/data/extract_poses.py (docs/tools/pose_extraction.md).
# Retrieval protocol: configs/_base_/datasets/ucf101_split1.py.
_base_ = [
    './csvr_r2plus1d-18_model.py', '../../_base_/datasets/ucf101_split1.py',
    '../../_base_/default_runtime.py'
]
pose_file = 'data/ucf101/poses_mediapipe.pkl'
batch_size = 16
sgd = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='SGD', lr=0.0005 * batch_size, momentum=0.9,
        weight_decay=0.005))
# one SGD optimizer per trained module (generators, encoders and
# discriminators each their own; PerModuleOptimWrapperConstructor)
optim_wrapper = dict(
    constructor='PerModuleOptimWrapperConstructor', every_module=sgd)
augment = [
    dict(type='RandomResizedCrop', area_range=(0.4, 1.0)),
    dict(type='Resize', scale=(112, 112), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='ClipColorJitter', brightness=0.4, contrast=0.4,
         saturation=0.4, hue=0.1, p=0.8),
    dict(type='ClipGaussianBlur', sigma=(0.1, 2.0), p=0.5),
]
train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(type='CSVRSampleClips', clip_len=16, frame_interval=4),
    dict(type='LoadPoseAnnotation', pose_file=pose_file),
    dict(type='SampleIFrames', num_iframes=4),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='SplitIFrames', transforms=augment),
    dict(type='PerClipTransform', transforms=augment, num_groups=1),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(
        type='PackSSLInputs',
        target_keys=('pose_in', 'pose_future', 'pose_valid', 'iframes',
                     'iframe_valid', 'iframe_is_fallback'))
]
train_dataloader = dict(
    batch_size=batch_size,
    num_workers=8,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoListDataset',
        ann_file={{_base_.ann_file_train}},
        data_prefix=dict(video={{_base_.data_root}}),
        pipeline=train_pipeline))
# Table VI: 200 pretraining epochs (joint); the branch pretraining epochs are
# not given (50 here).
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=200, val_interval=1000)
val_cfg = None
val_dataloader = None
val_evaluator = None
param_scheduler = []
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=3))
auto_scale_lr = dict(enable=False, base_batch_size=16)
