# Schedule of the tiny CPU pretraining configs on SynthMotion: 40 epochs,
# no validation loop (evaluation is the retrieval protocol, run by
# tools/test.py or tools/analysis_tools/retrieval.py), SGD with momentum
# 0.9 and cosine decay. lr 0.01 and weight decay 5e-4 are VCOP's (Xu et al.
# CVPR 2019, Sec. 4.1) with the lr raised from 1e-3 for the short run;
# method configs override the optimizer where their paper differs.
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=40, val_interval=1000)
val_cfg = None
val_dataloader = None
val_evaluator = None

optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=5e-4),
    clip_grad=dict(max_norm=40, norm_type=2))
param_scheduler = [
    # no T_max / end: the cosine spans train_cfg.max_epochs, also when it
    # is changed on the command line or on --resume (docs/reliability.md)
    dict(type='CosineAnnealingLR', eta_min=1e-4, by_epoch=True)
]
randomness = dict(seed=0)
auto_scale_lr = dict(enable=False, base_batch_size=8)
