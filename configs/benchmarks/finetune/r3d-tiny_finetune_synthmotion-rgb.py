# Supervised training of the tiny R3D on the RGB-rankable SynthMotion
# variant (data/synthmotion_rgb, docs/datasets/synthmotion_rgb.md): the
# reference that shows RGB clips of this variant can be classified from
# motion (>= 60 % val top-1 from scratch). Differs from
# r3d-tiny_finetune_synthmotion.py in the data, AdamW (lr 2e-3) instead of
# SGD, batch 16, no dropout and 100 epochs; pipelines are the same (8
# frames at stride 2, 32x32 crops, no Flip: it would swap labels).
#   python tools/train.py configs/benchmarks/finetune/r3d-tiny_finetune_synthmotion-rgb.py
_base_ = ['./r3d-tiny_finetune_synthmotion.py']

data_root = 'data/synthmotion_rgb'
model = dict(cls_head=dict(dropout_ratio=0.0))
train_dataloader = dict(
    batch_size=16,
    dataset=dict(
        ann_file=f'{data_root}/train_list.txt',
        data_prefix=dict(video=data_root),
        generate_if_missing='rgb'))
val_dataloader = dict(
    batch_size=16,
    dataset=dict(
        ann_file=f'{data_root}/val_list.txt',
        data_prefix=dict(video=data_root),
        generate_if_missing='rgb'))
test_dataloader = val_dataloader
train_cfg = dict(max_epochs=100, val_interval=10)
optim_wrapper = dict(
    _delete_=True,
    optimizer=dict(type='AdamW', lr=2e-3, weight_decay=1e-4),
    clip_grad=dict(max_norm=40, norm_type=2))
param_scheduler = [
    dict(type='CosineAnnealingLR', eta_min=1e-5, by_epoch=True)
]
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=1))
