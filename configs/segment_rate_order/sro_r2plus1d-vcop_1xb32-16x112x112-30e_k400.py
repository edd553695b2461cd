# Kinetics-400 pretraining (IV-B, IV-D: batch 32, 30 epochs, lr x 0.1 after
# epoch 20) of sro_r2plus1d-vcop_1xb16-16x112x112-300e_ucf101-split1.py
# (same model). The paper pretrains on the full K400 training split (not
# the benchmark study's K400-50k subset). Retrieval stays on UCF101 split 1.
# The view synthesiser is the one pre-trained on UCF101 (point
# view_synthesis_checkpoint at a K400 one to match the paper, which
# pre-trains it on the SSL data; see view_synthesis_checkpoint in the
# UCF101 config).
_base_ = ['./sro_r2plus1d-vcop_1xb16-16x112x112-300e_ucf101-split1.py']

train_dataloader = dict(
    batch_size=32,
    dataset=dict(
        ann_file='data/kinetics400/kinetics400_train_list_videos.txt',
        data_prefix=dict(video='data/kinetics400/videos_train')))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=30, val_interval=30)
param_scheduler = [
    dict(type='MultiStepLR', milestones=[20], gamma=0.1, by_epoch=True)
]
auto_scale_lr = dict(enable=False, base_batch_size=32)
