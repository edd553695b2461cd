# Shared skeleton of every fine-tuning recipe (docs/protocols/finetune.md):
# MMAction2's Recognizer3D initialised from an mmssl checkpoint with
#   python tools/train.py CONFIG --cfg-options load_from=PRETRAIN.pth
# (mmssl checkpoints keep the backbone under `backbone.`, the key prefix of
# Recognizer3D, so the backbone loads as is; the pretext head/neck keys are
# reported as unexpected and ignored, the classification head is new).
# A recipe (<recipe>-ft_*.py here) sets backbone, cls_head, pipelines,
# optimiser and schedule; a dataset file in configs/_base_/datasets/finetune/
# sets num_classes and the annotation lists.
#
# Validation during training: one centre clip per video (cheap).
# Test: K uniformly spaced clips x (1 | 3 | 10) crops per video; the head's
# average_clips='prob' averages the softmax probabilities of all K x crops
# views into the video prediction (test_pipeline of each recipe).
_base_ = ['../../../_base_/default_runtime.py']

model = dict(
    type='Recognizer3D',
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'),
    # forward at most 10 views of a video at once (100 views of 16x112x112
    # at once need several GB); the video score is the same
    test_cfg=dict(max_testing_views=10))

train_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type='VideoListDataset'))
val_dataloader = dict(
    batch_size=16,
    num_workers=8,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='VideoListDataset', test_mode=True))
test_dataloader = dict(
    batch_size=1,
    num_workers=8,
    persistent_workers=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='VideoListDataset', test_mode=True))
# validation: AccMetric (acc/top1 is what reduce-on-plateau schedules
# monitor); test: + ClassificationReport (macro P/R/F1, confusion-matrix
# PNG; docs/protocols/classification_metrics.md)
val_evaluator = dict(type='AccMetric')
test_evaluator = [dict(type='AccMetric'), dict(type='ClassificationReport')]

val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(checkpoint=dict(interval=10, max_keep_ckpts=3))
randomness = dict(seed=0)
