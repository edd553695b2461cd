# Articulated-figure SynthMotion (docs/datasets/synthmotion_articulated.md):
# stick figures whose movement is the class, exact COCO-17 joints in
# <data_root>/poses.pkl (MMAction2 skeleton format). Generated on first use
# (generate_if_missing) or with
#   python tools/data/generate_synthmotion.py --variant articulated \
#       --out-dir data/synthmotion_articulated
# Holds CSVR's data pipeline (issue 12; the fields of the CSVR data contract:
# inputs = [current clip, future clip], pose_in, pose_future, pose_valid,
# iframes, iframe_valid, iframe_is_fallback) at the tiny CPU size, and the
# retrieval protocol of configs/_base_/datasets/synthmotion.py.
data_root = 'data/synthmotion_articulated'
ann_file_train = f'{data_root}/train_list.txt'
ann_file_val = f'{data_root}/val_list.txt'
pose_file = f'{data_root}/poses.pkl'
synthmotion_variant = 'articulated'

# Tiny setting (videos of 96 frames, 64x64). The paper's 16 frames at stride
# 4, 112x112 (Sec. IV-B) need videos of >= 125 frames:
#   clip_len=16, frame_interval=4, input_size=112, resize_short=128
# with a dataset generated with --num-frames 128 --size 128 128.
clip_len = 8
frame_interval = 4
num_iframes = 4
input_size = 32
resize_short = 40

# The paper's augmentations (IV-B: random crop, flip, Gaussian blur, colour
# jitter), on clips and I-frames. The current and future clips share one
# draw (the future clip is the video branch's prediction target); each
# I-frame gets its own. Poses are not augmented (normalised by the original
# frame size; a flip does not mirror them).
csvr_augment = [
    dict(type='RandomResizedCrop', area_range=(0.4, 1.0)),
    dict(type='Resize', scale=(input_size, input_size), keep_ratio=False),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='ClipColorJitter', brightness=0.4, contrast=0.4,
         saturation=0.4, hue=0.1, p=0.8),
    dict(type='ClipGaussianBlur', sigma=(0.1, 2.0), p=0.5),
]
csvr_pack = dict(
    type='PackSSLInputs',
    target_keys=('pose_in', 'pose_future', 'pose_valid', 'iframes',
                 'iframe_valid', 'iframe_is_fallback'))
train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(type='CSVRSampleClips', clip_len=clip_len,
         frame_interval=frame_interval),
    dict(type='LoadPoseAnnotation', pose_file=pose_file),
    dict(type='SampleIFrames', num_iframes=num_iframes),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, resize_short)),
    dict(type='SplitIFrames', transforms=csvr_augment),
    dict(type='PerClipTransform', transforms=csvr_augment, num_groups=1),
    dict(type='FormatShape', input_format='NCTHW'),
    csvr_pack,
]
# Pretext losses on held-out videos: deterministic layout, centre crop.
val_pipeline = [
    dict(type='SafeDecordInit'),
    dict(type='CSVRSampleClips', clip_len=clip_len,
         frame_interval=frame_interval, test_mode=True),
    dict(type='LoadPoseAnnotation', pose_file=pose_file),
    dict(type='SampleIFrames', num_iframes=num_iframes, test_mode=True),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, resize_short)),
    dict(type='CenterCrop', crop_size=input_size),
    dict(type='SplitIFrames'),
    dict(type='FormatShape', input_format='NCTHW'),
    csvr_pack,
]
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoListDataset',
        ann_file=ann_file_train,
        data_prefix=dict(video=data_root),
        generate_if_missing=synthmotion_variant,
        pipeline=train_pipeline))

# Retrieval (docs/protocols/retrieval.md): train videos are the gallery, val
# videos the queries, K clips per video, features averaged.
retrieval_clips = 10
retrieval_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SampleFrames',
        clip_len=clip_len,
        frame_interval=1,
        num_clips=retrieval_clips,
        test_mode=True),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, resize_short)),
    dict(type='CenterCrop', crop_size=input_size),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs')
]
test_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type='ConcatDataset',
        datasets=[
            dict(
                type='VideoListDataset',
                ann_file=ann_file_train,
                data_prefix=dict(video=data_root),
                split_tag='train',
                generate_if_missing=synthmotion_variant,
                pipeline=retrieval_pipeline,
                test_mode=True),
            dict(
                type='VideoListDataset',
                ann_file=ann_file_val,
                data_prefix=dict(video=data_root),
                split_tag='test',
                generate_if_missing=synthmotion_variant,
                pipeline=retrieval_pipeline,
                test_mode=True),
        ]))
test_evaluator = dict(type='RetrievalMetric', ks=(1, 5, 10, 20))
test_cfg = dict(type='TestLoop')
