# STCLR fine-tuning (Sec. 4.2.2) on Something-Something V2. Recipe:
# ./_base_/stclr-ft_r3d-18.py; data:
# configs/_base_/datasets/finetune/sthv2.py. Train with --cfg-options
# load_from=<mmssl checkpoint>, test with tools/test.py
# (docs/protocols/finetune.md).
_base_ = [
    './_base_/stclr-ft_r3d-18.py',
    '../../_base_/datasets/finetune/sthv2.py'
]

model = dict(cls_head=dict(num_classes={{_base_.num_classes}}))
train_dataloader = dict(dataset={{_base_.train_data}})
val_dataloader = dict(dataset={{_base_.val_data}})
test_dataloader = dict(dataset={{_base_.val_data}})
