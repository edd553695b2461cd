# HMDB51 split 1 in MMAction2's layout (tools/data/hmdb51 of MMAction2:
# generate_videos_filelist.sh): data/hmdb51/videos/<class>/<video>.avi and
# '<class>/<video>.avi <label>' lists, hmdb51_{train,val}_split_1_videos.txt.
# Retrieval with the standard protocol of ucf101_split1.py (Xu et al. CVPR
# 2019, Sec. 4.4: train = gallery, test = queries, 10 uniformly sampled
# 16-frame clips, 3-D average-pooled features averaged over the clips). Use it
# with a UCF101- or Kinetics-pretraining config through
# `tools/analysis_tools/retrieval.py CONFIG CKPT --data-config THIS_FILE`.
_base_ = ['./ucf101_split1.py']

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
