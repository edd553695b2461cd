# UCF101 split 1 in MMAction2's layout (tools/data/ucf101 of MMAction2):
# data/ucf101/videos/<Class>/<video>.avi and '<path> <label>' lists.
# Pretraining uses the train list (labels unused); retrieval uses train as
# gallery and test as queries with 10 uniformly sampled 16-frame clips per
# video and 3-D average-pooled last-stage features averaged over the clips
# (Xu et al. CVPR 2019, Sec. 4.4; `feature_key='feats'`). The TCLR family
# uses ucf101_split1_tclr_retrieval.py instead (docs/protocols/retrieval.md).
data_root = 'data/ucf101/videos'
ann_file_train = 'data/ucf101/ucf101_train_split_1_videos.txt'
ann_file_val = 'data/ucf101/ucf101_val_split_1_videos.txt'

retrieval_clips = 10
retrieval_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SampleFrames',
        clip_len=16,
        frame_interval=1,
        num_clips=retrieval_clips,
        test_mode=True),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 128)),
    dict(type='CenterCrop', crop_size=112),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs')
]
test_dataloader = dict(
    batch_size=4,
    num_workers=4,
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
                pipeline=retrieval_pipeline,
                test_mode=True),
            dict(
                type='VideoListDataset',
                ann_file=ann_file_val,
                data_prefix=dict(video=data_root),
                split_tag='test',
                pipeline=retrieval_pipeline,
                test_mode=True),
        ]))
test_evaluator = dict(
    type='RetrievalMetric', ks=(1, 5, 10, 20), feature_key='feats')
test_cfg = dict(type='TestLoop')
