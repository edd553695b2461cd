# Pretraining on UCF101 split 1 (train list; IV-B, IV-D): batch 16, 300
# epochs, lr x 0.1 after epoch 200. Retrieval: the UCF101 protocol of
# ../../_base_/datasets/ucf101_split1.py.
_base_ = [
    '../../_base_/datasets/ucf101_split1.py',
    '../../_base_/default_runtime.py', './sro_model.py'
]

train_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoListDataset',
        ann_file={{_base_.ann_file_train}},
        data_prefix=dict(video={{_base_.data_root}}),
        pipeline={{_base_.train_pipeline}}))
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=300, val_interval=300)
param_scheduler = [
    dict(type='MultiStepLR', milestones=[200], gamma=0.1, by_epoch=True)
]
val_cfg = None
val_dataloader = None
val_evaluator = None
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=3))
auto_scale_lr = dict(enable=False, base_batch_size=16)
