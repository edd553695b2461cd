# Dataset-size analysis (Kumar et al., "A Large-Scale Analysis on Contextual
# Self-Supervised Video Representation Learning", Sec. 4.1, Table 3): the
# K400-50k recipe ../../prp/prp_r2plus1d-vcop_1xb8-16x112x112-4rates-200e_k400-50k.py
# pretrained on the nested, class-balanced K400-30k subset (75 videos per
# class; configs/_base_/datasets/kinetics400_30k.py). Model, pipeline,
# schedule (epochs, not iterations) and retrieval protocol are the 50k
# recipe's; only the train list changes. docs/analysis/dataset_size.md.
_base_ = ['../../prp/prp_r2plus1d-vcop_1xb8-16x112x112-4rates-200e_k400-50k.py']

train_dataloader = dict(
    dataset=dict(
        ann_file='data/kinetics400/kinetics400_train_30k_list_videos.txt'))
