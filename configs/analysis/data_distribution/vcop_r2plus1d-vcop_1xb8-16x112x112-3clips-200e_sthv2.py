# Data-distribution analysis (Kumar et al., "A Large-Scale Analysis on
# Contextual Self-Supervised Video Representation Learning", Sec. 4.3, Fig. 3):
# the K400-50k recipe ../../vcop/vcop_r2plus1d-vcop_1xb8-16x112x112-3clips-200e_k400-50k.py
# pretrained on Something-Something V2 instead (temporal source data; the
# full train list, 168,913 videos, labels unused; the study does not say
# whether it took a subset). Model, augmentation, schedule and the UCF101
# retrieval protocol are the K400 recipe's. Fine-tune with the study's
# recipe on Diving48 / UCF101 / HMDB51 (configs/benchmarks/finetune/
# study-ft_r2plus1d-vcop_*). docs/analysis/data_distribution.md.
# SSv2 clips are short (12 fps, 2-6 s): a video with fewer than the
# sampler's 48 frames cannot hold the method's clips; here it is
# skipped and counted (on_error='skip', SkipAccountingHook) instead of
# stopping the run, so the train pipeline is restated with that one change.
_base_ = ['../../vcop/vcop_r2plus1d-vcop_1xb8-16x112x112-3clips-200e_k400-50k.py']

data_root = 'data/sthv2/videos'
ann_file_train = 'data/sthv2/sthv2_train_list_videos.txt'

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='VCOPSampleClips',
        clip_len=16,
        num_clips=3,
        clip_interval=8,
        frame_interval=1,
        on_error='skip'),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(171, 128), keep_ratio=False),
    dict(type='RandomCrop', size=112),
    dict(type='Flip', flip_ratio=0.5),
    dict(
        type='ClipColorJitter',
        brightness=0.4,
        contrast=0.4,
        saturation=0.4,
        hue=0.1,
        p=0.8),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs', target_keys=('order_label', ))
]
train_dataloader = dict(
    dataset=dict(
        ann_file=ann_file_train,
        data_prefix=dict(video=data_root),
        pipeline=train_pipeline))
