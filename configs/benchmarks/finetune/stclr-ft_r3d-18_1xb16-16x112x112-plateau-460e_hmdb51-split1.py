# STCLR fine-tuning (Sec. 4.3.2) on HMDB51 split 1. Recipe:
# ./_base_/stclr-ft_r3d-18_hmdb51-plateau.py; data:
# configs/_base_/datasets/finetune/hmdb51_split1.py. Train with --cfg-options
# load_from=<mmssl checkpoint>, test with tools/test.py
# (docs/protocols/finetune.md).
_base_ = [
    './_base_/stclr-ft_r3d-18_hmdb51-plateau.py',
    '../../_base_/datasets/finetune/hmdb51_split1.py'
]

model = dict(cls_head=dict(num_classes={{_base_.num_classes}}))
train_dataloader = dict(dataset={{_base_.train_data}})
val_dataloader = dict(dataset={{_base_.val_data}})
test_dataloader = dict(dataset={{_base_.val_data}})
