# PRP fine-tuning recipe: the authors' released ft_classfy.py and config.py
# (Yao et al., "Video Playback Rate Perception for Self-supervised
# Spatio-Temporal Representation Learning", CVPR 2020; github
# yuanyao366/PRP), built on VCOP's code (./vcop-ft_r3d-vcop.py) with:
# - random horizontal flip (p 0.5) of the whole clip before resize/crop;
# - 160 epochs, lr x 0.1 after 100 epochs (StepLR(step_size=100, gamma=0.1));
#   SGD lr 1e-3, momentum 0.9, weight decay 5e-4, batch 8 as VCOP.
# - Test: ten uniformly spaced clips; the released ClassifyDataSet crops
#   test clips with the *training* RandomCrop, here the centre crop
#   (deterministic; docs/protocols/finetune.md, "Deviations").
_base_ = ['./vcop-ft_r3d-vcop.py']

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SampleFrames',
        clip_len={{_base_.clip_len}},
        frame_interval={{_base_.frame_interval}},
        num_clips=1),
    dict(type='DecordDecodeUnion'),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='Resize', scale=(171, 128), keep_ratio=False),
    dict(type='RandomCrop', size=112),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackActionInputs')
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))

train_cfg = dict(max_epochs=160)
param_scheduler = [
    dict(type='MultiStepLR', milestones=[100], gamma=0.1, by_epoch=True)
]
