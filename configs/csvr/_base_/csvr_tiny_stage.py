# Shared parts of the tiny CPU CSVR configs: the tiny model, the articulated
# SynthMotion pipeline of configs/_base_/datasets/synthmotion_articulated.py
# (docs/datasets/synthmotion_articulated.md; 8-frame current + future clips
# at stride 4, 32x32, K = 4 I-frames, exact poses), batch 8, the paper's
# optimizer rule at that batch (SGD lr 0.0005 x 8, momentum 0.9, weight
# decay 0.005; IV-B), constant lr, no validation loop (retrieval:
# tools/analysis_tools/retrieval.py).
_base_ = [
    './csvr_r3d-tiny_model.py',
    '../../_base_/datasets/synthmotion_articulated.py',
    '../../_base_/default_runtime.py'
]
batch_size = 8
sgd = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='SGD', lr=0.0005 * batch_size, momentum=0.9,
        weight_decay=0.005))
# one SGD optimizer per trained module (generators, encoders and
# discriminators each their own; PerModuleOptimWrapperConstructor)
optim_wrapper = dict(
    constructor='PerModuleOptimWrapperConstructor', every_module=sgd)
train_dataloader = dict(batch_size=batch_size, drop_last=True)
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=10, val_interval=1000)
val_cfg = None
val_dataloader = None
val_evaluator = None
param_scheduler = []
randomness = dict(seed=0)
default_hooks = dict(
    checkpoint=dict(interval=5, max_keep_ckpts=2), logger=dict(interval=4))
