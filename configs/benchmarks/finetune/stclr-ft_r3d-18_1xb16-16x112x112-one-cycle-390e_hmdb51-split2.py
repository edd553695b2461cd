# STCLR fine-tuning (Sec. 4.2.2) on HMDB51 split 2. Recipe:
# ./_base_/stclr-ft_r3d-18.py; data:
# configs/_base_/datasets/finetune/hmdb51_split2.py. Train with --cfg-options
# load_from=<mmssl checkpoint>, test with tools/test.py
# (docs/protocols/finetune.md).
_base_ = [
    './_base_/stclr-ft_r3d-18.py',
    '../../_base_/datasets/finetune/hmdb51_split2.py'
]

model = dict(
    cls_head=dict(
        num_classes={{_base_.num_classes}}, dropout_ratio=0.9))
train_dataloader = dict(dataset={{_base_.train_data}})
val_dataloader = dict(dataset={{_base_.val_data}})
test_dataloader = dict(dataset={{_base_.val_data}})

# Sec. 4.3.2, HMDB51 split 2: lr 3e-3, weight decay 3e-3, dropout 0.90,
# one-cycle, 390 epochs.
optim_wrapper = dict(optimizer=dict(lr=3e-3, weight_decay=3e-3))
train_cfg = dict(max_epochs=390)
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.04,
        begin=0,
        end=117,  # 30 % of 390 epochs
        by_epoch=True,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        eta_min=1.2e-08,  # lr / 2.5e5
        begin=117,
        by_epoch=True,
        convert_to_iter_based=True)
]
