# STCLR fine-tuning (Sec. 4.2.2) on UCF101 split 3. Recipe:
# ./_base_/stclr-ft_r3d-18.py; data:
# configs/_base_/datasets/finetune/ucf101_split3.py. Train with --cfg-options
# load_from=<mmssl checkpoint>, test with tools/test.py
# (docs/protocols/finetune.md).
_base_ = [
    './_base_/stclr-ft_r3d-18.py',
    '../../_base_/datasets/finetune/ucf101_split3.py'
]

model = dict(cls_head=dict(num_classes={{_base_.num_classes}}))
train_dataloader = dict(dataset={{_base_.train_data}})
val_dataloader = dict(dataset={{_base_.val_data}})
test_dataloader = dict(dataset={{_base_.val_data}})

# Sec. 4.3.2: split 3 of UCF101 trained for 490 epochs.
train_cfg = dict(max_epochs=490)
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=0.04,
        begin=0,
        end=147,  # 30 % of 490 epochs
        by_epoch=True,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        eta_min=1.2e-08,  # lr / 2.5e5
        begin=147,
        by_epoch=True,
        convert_to_iter_based=True)
]
