# Data-distribution analysis (Kumar et al., "A Large-Scale Analysis on
# Contextual Self-Supervised Video Representation Learning", Sec. 4.3, Fig. 3):
# the K400-50k recipe ../../rspnet/rspnet_r2plus1d-vcop_4xb32-16x112x112-speed1-2-200e_k400-50k.py
# pretrained on Something-Something V2 instead (temporal source data; the
# full train list, 168,913 videos, labels unused; the study does not say
# whether it took a subset). Model, augmentation, schedule and the UCF101
# retrieval protocol are the K400 recipe's. Fine-tune with the study's
# recipe on Diving48 / UCF101 / HMDB51 (configs/benchmarks/finetune/
# study-ft_r2plus1d-vcop_*). docs/analysis/data_distribution.md.
# SSv2 clips are short (12 fps, 2-6 s): a video with fewer than the
# sampler's 31 frames cannot hold the method's clips; here it is
# skipped and counted (on_error='skip', SkipAccountingHook) instead of
# stopping the run, so the train pipeline is restated with that one change.
_base_ = ['../../rspnet/rspnet_r2plus1d-vcop_4xb32-16x112x112-speed1-2-200e_k400-50k.py']

data_root = 'data/sthv2/videos'
ann_file_train = 'data/sthv2/sthv2_train_list_videos.txt'

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='RSPNetSampleClips',
        clip_len=16,
        speeds=(1, 2),
        on_error='skip'),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 128)),
    dict(
        type='ClipGroupsTransform',
        groups=((0, ), (1, 2)),
        transforms=[
            dict(
                type='RandomResizedCrop',
                area_range=(0.4, 1.0),
                aspect_ratio_range=(0.75, 4 / 3)),
            dict(type='Resize', scale=(112, 112), keep_ratio=False),
            dict(type='ClipGrayscale', p=0.2),
            dict(
                type='ClipColorJitter',
                brightness=0.4,
                contrast=0.4,
                saturation=0.4,
                hue=0.4,
                p=1.0),
            dict(type='Flip', flip_ratio=0.5),
        ]),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs', target_keys=('speed_label', ))
]
train_dataloader = dict(
    dataset=dict(
        ann_file=ann_file_train,
        data_prefix=dict(video=data_root),
        pipeline=train_pipeline))
