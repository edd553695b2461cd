# RSPNet, tiny CPU setting on the embedded synthetic motion dataset: the
# narrow 1-block-per-stage R3D of configs/_base_/models/vcop_r3d_tiny.py,
# 8x32x32 clips at speeds 1 and 2, batch 16 videos. The paper setting is
# rspnet_r2plus1d-vcop_4xb32-16x112x112-speed1-2-200e_k400-50k.py; the tiny
# changes (queue 64 instead of 16384, momentum 0.99, hue jitter 0.1 with
# p 0.8 instead of 0.4 always, SGD lr 0.1) are explained in
# docs/methods/rspnet.md.
_base_ = [
    '../_base_/models/vcop_r3d_tiny.py', '../_base_/datasets/synthmotion.py',
    '../_base_/schedules/sgd_cosine_40e_synthmotion.py',
    '../_base_/default_runtime.py'
]

model = dict(
    type='RSPNet',
    # 128 training videos / 320 optimizer steps (see docs/methods/rspnet.md)
    queue_size=64,
    momentum=0.99,
    neck=dict(
        type='ParallelNecks',
        necks=dict(
            appearance=dict(
                type='MLPProjectionNeck', in_channels=None, out_channels=128),
            speed=dict(
                type='MLPProjectionNeck', in_channels=None,
                out_channels=128))),
    head=dict(
        _delete_=True,
        type='RSPNetHead',
        loss_speed=dict(
            type='TripletMarginLoss',
            metric='cosine',
            margin=2.0,
            temperature=0.07),
        loss_appearance=dict(type='QueueInfoNCELoss', temperature=0.07)))

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(type='RSPNetSampleClips', clip_len=8, speeds=(1, 2)),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    # query | (same-speed key, different-speed key): the two keys share one
    # spatial augmentation, so they differ only by speed (authors' code)
    dict(
        type='ClipGroupsTransform',
        groups=((0, ), (1, 2)),
        transforms=[
            dict(
                type='RandomResizedCrop',
                area_range=(0.4, 1.0),
                aspect_ratio_range=(0.75, 4 / 3)),
            dict(type='Resize', scale=(32, 32), keep_ratio=False),
            dict(type='ClipGrayscale', p=0.2),
            # the authors' hue 0.4 (always applied) wipes out SynthMotion's
            # colour identity: A-VID stays at chance in the tiny run
            dict(
                type='ClipColorJitter',
                brightness=0.4,
                contrast=0.4,
                saturation=0.4,
                hue=0.1,
                p=0.8),
            dict(type='Flip', flip_ratio=0.5),
        ]),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs', target_keys=('speed_label', ))
]
train_dataloader = dict(
    batch_size=16,
    num_workers=2,
    persistent_workers=True,
    drop_last=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoListDataset',
        ann_file={{_base_.ann_file_train}},
        data_prefix=dict(video={{_base_.data_root}}),
        pipeline=train_pipeline))

# configs/_base_/schedules/sgd_cosine_40e_synthmotion.py with lr 0.1 and
# weight decay 1e-4, batch 16.
optim_wrapper = dict(optimizer=dict(lr=0.1, weight_decay=1e-4))
# distributed runs: the momentum update / enqueue after DDP's step
model_wrapper_cfg = dict(
    type='mmssl.models.utils.SSLDistributedDataParallel')
default_hooks = dict(
    checkpoint=dict(interval=10, max_keep_ckpts=2), logger=dict(interval=8))
auto_scale_lr = dict(base_batch_size=16)
