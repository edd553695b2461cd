# Schedule of the TCLR-family tiny CPU configs on SynthMotion: 30 epochs,
# no validation loop, Adam lr 1e-3 with weight decay 1e-9, and lr / 10 when
# the epoch's training loss has not improved for `patience` epochs (STCLR
# Sec. 4.2.2; patience 12 in the paper, 9 for TCLR in Sec. 4.2.4, 4 for the
# 30-epoch CPU run). TrainLossPlateauHook feeds the epoch's mean training
# loss to ReduceOnPlateauLR (which MMEngine otherwise steps on val metrics).
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=30, val_interval=1000)
val_cfg = None
val_dataloader = None
val_evaluator = None

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='Adam', lr=1e-3, weight_decay=1e-9))
param_scheduler = [
    dict(
        type='ReduceOnPlateauLR',
        monitor='loss',
        rule='less',
        factor=0.1,
        patience=4)
]
custom_hooks = [dict(type='TrainLossPlateauHook', monitor='loss')]
randomness = dict(seed=0)
auto_scale_lr = dict(enable=False, base_batch_size=8)
