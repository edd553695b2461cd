# VCOP, tiny CPU setting on the embedded synthetic motion dataset.
# Clip length, clip interval and image size are scaled down from the paper's
# 16x112x112 / interval 8 (vcop_r3d-18_1xb8-16x112x112-3clips-300e_ucf101-split1.py).
_base_ = [
    '../_base_/models/vcop_r3d_tiny.py', '../_base_/datasets/synthmotion.py',
    '../_base_/schedules/sgd_cosine_40e_synthmotion.py',
    '../_base_/default_runtime.py'
]

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(type='VCOPSampleClips', clip_len=8, num_clips=3, clip_interval=4),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    dict(type='RandomCrop', size=32),
    dict(type='Flip', flip_ratio=0.5),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs', target_keys=('order_label', ))
]
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoListDataset',
        ann_file={{_base_.ann_file_train}},
        data_prefix=dict(video={{_base_.data_root}}),
        pipeline=train_pipeline))

# Schedule: configs/_base_/schedules/sgd_cosine_40e_synthmotion.py (VCOP's
# SGD, Xu et al. CVPR 2019 Sec. 4.1, lr raised to 1e-2 for the short run).
default_hooks = dict(
    checkpoint=dict(interval=10, max_keep_ckpts=2), logger=dict(interval=10))

# Online health check (docs/protocols/monitoring.md): k-NN top-1/top-5,
# retrieval R@1 and collapse statistics of all train (bank) and val (query)
# videos at 2 clips, before training and every 5 epochs; about 0.75 of an
# epoch per check, about 15% of the run. custom_hooks = [] turns it off.
custom_hooks = [
    dict(
        type='RepresentationMonitorHook',
        interval=5,
        max_videos=None,
        num_clips=2)
]
