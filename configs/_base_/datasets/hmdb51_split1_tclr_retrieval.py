# HMDB51 split 1 with the TCLR / STCLR retrieval protocol (STCLR Sec. 4.2.2,
# the same settings as ucf101_split1_tclr_retrieval.py: `retrieval_clips`
# 16-frame clips per video at a skip rate of 3, whole frame resized to
# 112x112, spatially pooled features with the time axis kept and flattened,
# averaged over the clips; `feature_key='time_feats'`). MMAction2's HMDB51
# layout, see hmdb51_split1.py. Use it with a TCLR-family pretraining config:
# `tools/analysis_tools/retrieval.py CONFIG CKPT --data-config THIS_FILE`.
_base_ = ['./ucf101_split1_tclr_retrieval.py']

data_root = 'data/hmdb51/videos'
ann_file_train = 'data/hmdb51/hmdb51_train_split_1_videos.txt'
ann_file_val = 'data/hmdb51/hmdb51_val_split_1_videos.txt'

test_dataloader = dict(
    dataset=dict(
        type='ConcatDataset',
        datasets=[
            dict(
                type='VideoListDataset',
                ann_file=ann_file_train,
                data_prefix=dict(video=data_root),
                split_tag='train',
                pipeline={{_base_.retrieval_pipeline}},
                test_mode=True),
            dict(
                type='VideoListDataset',
                ann_file=ann_file_val,
                data_prefix=dict(video=data_root),
                split_tag='test',
                pipeline={{_base_.retrieval_pipeline}},
                test_mode=True),
        ]))
