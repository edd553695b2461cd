# The embedded synthetic motion dataset (docs/datasets/synthmotion.md).
# Generate it with: python tools/data/generate_synthmotion.py
# Method configs define the training pipeline; this file holds the layout
# and the retrieval protocol: train videos are the gallery, val videos the
# queries; K clips per video sampled uniformly and their features averaged
# (docs/protocols/retrieval.md).
data_root = 'data/synthmotion'
ann_file_train = f'{data_root}/train_list.txt'
ann_file_val = f'{data_root}/val_list.txt'
retrieval_clips = 10
retrieval_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SampleFrames',
        clip_len=8,
        frame_interval=1,
        num_clips=retrieval_clips,
        test_mode=True),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='CenterCrop', crop_size=32),
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
test_evaluator = dict(type='RetrievalMetric', ks=(1, 5, 10, 20))
test_cfg = dict(type='TestLoop')
