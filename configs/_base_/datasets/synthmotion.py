# The embedded synthetic motion dataset (docs/datasets/synthmotion.md).
# Generated on first use: a dataset whose annotation list is missing
# generates the SynthMotion variant `synthmotion_variant` into data_root
# (deterministic, seconds; mmssl/datasets/generate_if_missing.py), the same
# as: python tools/data/generate_synthmotion.py --out-dir data/synthmotion
# Method configs define the training pipeline; this file holds the layout
# and the retrieval protocol: train videos are the gallery, val videos the
# queries; K clips per video sampled uniformly and their features averaged
# (docs/protocols/retrieval.md).
data_root = 'data/synthmotion'
ann_file_train = f'{data_root}/train_list.txt'
ann_file_val = f'{data_root}/val_list.txt'
synthmotion_variant = 'default'
# merged into the method configs' train_dataloader.dataset (VideoListDataset)
train_dataloader = dict(dataset=dict(generate_if_missing=synthmotion_variant))
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
