# Dataset-size analysis (Kumar et al., "A Large-Scale Analysis on Contextual
# Self-Supervised Video Representation Learning", Sec. 4.1, Table 3): the
# K400-50k recipe ../../rspnet/rspnet_r2plus1d-vcop_4xb32-16x112x112-speed1-2-200e_k400-50k.py
# pretrained on the nested, class-balanced K400-10k subset (25 videos per
# class; configs/_base_/datasets/kinetics400_10k.py). Model, pipeline,
# schedule (epochs, not iterations) and retrieval protocol are the 50k
# recipe's; only the train list changes. docs/analysis/dataset_size.md.
# Note: the 16384-key queue (study supp. C.3) is larger than K400-10k,
# so it also holds keys of the same videos from the previous epoch.
_base_ = ['../../rspnet/rspnet_r2plus1d-vcop_4xb32-16x112x112-speed1-2-200e_k400-50k.py']

train_dataloader = dict(
    dataset=dict(
        ann_file='data/kinetics400/kinetics400_train_10k_list_videos.txt'))
