# UCF101 split 1 with the TCLR / STCLR retrieval protocol (STCLR Sec.
# 4.2.2): test clips query train clips; ten 16-frame clips per video
# sampled uniformly with a skip rate of 3 frames, full spatial view (the
# whole frame resized to 112x112), clip features averaged per video.
_base_ = ['./ucf101_split1.py']

retrieval_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SampleFrames',
        clip_len=16,
        frame_interval=3,
        num_clips=10,
        test_mode=True),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(112, 112), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs')
]
test_dataloader = dict(
    dataset=dict(
        type='ConcatDataset',
        datasets=[
            dict(
                type='VideoListDataset',
                ann_file={{_base_.ann_file_train}},
                data_prefix=dict(video={{_base_.data_root}}),
                split_tag='train',
                pipeline=retrieval_pipeline,
                test_mode=True),
            dict(
                type='VideoListDataset',
                ann_file={{_base_.ann_file_val}},
                data_prefix=dict(video={{_base_.data_root}}),
                split_tag='test',
                pipeline=retrieval_pipeline,
                test_mode=True),
        ]))
