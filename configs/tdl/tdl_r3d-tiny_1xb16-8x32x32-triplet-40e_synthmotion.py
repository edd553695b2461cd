# TDL, tiny CPU setting on the embedded synthetic motion dataset: the
# narrow 1-block-per-stage R3D of configs/_base_/models/vcop_r3d_tiny.py,
# temporal triplets of 8x32x32 clips, batch 16 videos. The paper setting is
# tdl_r2plus1d-vcop_2xb64-16x112x112-triplet-200e_k400-50k.py; the tiny
# changes (queue 64 instead of 500, momentum 0.99, frame stride 1, SGD lr
# 0.1) are explained in docs/methods/tdl.md.
_base_ = [
    '../_base_/models/vcop_r3d_tiny.py', '../_base_/datasets/synthmotion.py',
    '../_base_/schedules/sgd_cosine_40e_synthmotion.py',
    '../_base_/default_runtime.py'
]

model = dict(
    type='TDL',
    # 128 training videos: a 500-key bank would hold each video's own keys
    # (~4 per video) as negatives; 64 keys = 4 batches. 320 optimizer steps
    # in total: m = 0.99 (EMA time constant 100 steps) instead of 0.999.
    queue_size=64,
    momentum=0.99,
    # With the authors' online-encoder negative, the fast-moving tiny run
    # ranks the temporal negative above the (lagging) momentum key
    # (acc_temporal ~0.1 in epochs 2-8): encode it as a key instead.
    negative_encoder='momentum',
    neck=dict(type='MLPProjectionNeck', in_channels=None, out_channels=128),
    head=dict(
        _delete_=True,
        type='TDLHead',
        loss_contrast=dict(type='QueueInfoNCELoss', temperature=0.07)))

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(type='TDLSampleTriplet', clip_len=8, frame_interval=1),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 40)),
    dict(
        type='PerClipTransform',
        transforms=[
            dict(
                type='RandomResizedCrop',
                area_range=(0.2, 1.0),
                aspect_ratio_range=(0.75, 4 / 3)),
            dict(type='Resize', scale=(32, 32), keep_ratio=False),
            dict(type='Flip', flip_ratio=0.5),
            dict(
                type='ClipColorJitter',
                brightness=0.4,
                contrast=0.4,
                saturation=0.4,
                hue=0.1,
                p=0.8),
            dict(type='ClipGrayscale', p=0.2),
        ]),
    # temporal consistent augmentation of the anchor (clip 0)
    dict(type='IntraClipMixup', alpha=0.1, clips=(0, )),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs')
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
