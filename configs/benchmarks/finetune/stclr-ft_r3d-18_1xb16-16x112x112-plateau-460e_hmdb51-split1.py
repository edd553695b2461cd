# STCLR fine-tuning (Sec. 4.2.2) on HMDB51 split 1. Recipe:
# ./_base_/stclr-ft_r3d-18.py; data:
# configs/_base_/datasets/finetune/hmdb51_split1.py. Train with --cfg-options
# load_from=<mmssl checkpoint>, test with tools/test.py
# (docs/protocols/finetune.md).
_base_ = [
    './_base_/stclr-ft_r3d-18.py',
    '../../_base_/datasets/finetune/hmdb51_split1.py'
]

model = dict(
    cls_head=dict(
        num_classes={{_base_.num_classes}}, dropout_ratio=0.94))
train_dataloader = dict(dataset={{_base_.train_data}})
val_dataloader = dict(dataset={{_base_.val_data}})
test_dataloader = dict(dataset={{_base_.val_data}})

# Sec. 4.3.2, HMDB51 splits 1 and 3: lr 1e-2, weight decay 3e-3, dropout
# 0.94, reduce-on-plateau schedule with patience 6 epochs (the factor and
# the monitored quantity are not given: torch's default factor 0.1 on the
# validation top-1 accuracy, validated every epoch), 460 epochs.
optim_wrapper = dict(optimizer=dict(lr=1e-2, weight_decay=3e-3))
train_cfg = dict(max_epochs=460, val_interval=1)
param_scheduler = [
    dict(
        type='ReduceOnPlateauLR',
        monitor='acc/top1',
        rule='greater',
        factor=0.1,
        patience=6,
        by_epoch=True)
]
