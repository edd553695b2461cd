# STCLR fine-tuning, HMDB51 splits 1 and 3 (paper 001, Sec. 4.3.2): lr 1e-2,
# weight decay 3e-3, dropout 0.94, reduce-on-plateau schedule with patience
# 6 epochs, 460 epochs. The factor and the monitored quantity are not given:
# torch's default factor 0.1 on the validation top-1 accuracy, validated
# every epoch. Everything else: ./stclr-ft_r3d-18.py.
_base_ = ['./stclr-ft_r3d-18.py']

model = dict(cls_head=dict(dropout_ratio=0.94))
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
