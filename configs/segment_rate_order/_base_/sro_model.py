# Segment sample-rate order prediction (IEEE TCSVT 2021, DOI
# 10.1109/TCSVT.2021.3114209; docs/methods/segment_rate_order.md): the
# algorithm, heads, losses, training pipeline and optimiser shared by the
# paper-setting configs. The backbone is set by each config.
# - III-C/D, Fig. 1: 16-frame clips of n = 3 segments (lengths >= 3, random)
#   at distinct rates from p = [1, 8] (IV-D, Table IV), shuffled;
# - III-E, IV-D: MoCo key encoder and queue; the query's 512-d feature is
#   projected to 128-d by a non-linear head. The shuffle similarity (III-F)
#   splits the embedding into k = n parts, so its size must be divisible by
#   n: 126 = 3 x 42 (the nearest to 128; n = 2, 4: 128, n = 5: 125);
# - Eq. 17, IV-D: lambda_1 = lambda_3 = 1, lambda_2 = 0.3;
# - queue 16384 keys, m = 0.999, tau = 0.07: MoCo's values (the paper gives
#   none).
num_segments = 3
model = dict(
    type='SegmentRateOrder',
    neck=dict(
        type='MLPProjectionNeck',
        in_channels=None,
        hidden_channels=512,
        num_hidden_layers=1,
        out_channels=126),
    order_head=dict(
        type='SegmentOrderHead',
        num_segments=num_segments,
        hidden_channels=512,
        loss_weight=1.0),
    rate_head=dict(
        type='SegmentRateHead',
        num_segments=num_segments,
        mode='regression',
        max_rate=8,
        hidden_channels=512,
        loss_weight=0.3),
    loss_contrast=dict(
        type='ShuffleInfoNCELoss',
        num_parts=num_segments,
        similarity='neg_distance',
        temperature=0.07,
        loss_weight=1.0),
    queue_size=16384,
    momentum=0.999,
    synth_key_prob=0.5,
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))

# IV-D: resize to 128x171, random 112x112 crop, colour jitter of
# brightness, contrast and saturation (strengths not given: 0.4, applied
# with p 0.8), horizontal flip; one draw per clip (query and key). The
# ablation configs reuse these pieces around their own sampler.
clip_augment = dict(
    type='PerClipTransform',
    transforms=[
        dict(type='RandomCrop', size=112),
        dict(
            type='ClipColorJitter',
            brightness=0.4,
            contrast=0.4,
            saturation=0.4,
            hue=0.0,
            p=0.8),
        dict(type='Flip', flip_ratio=0.5),
    ])
pack_inputs = dict(
    type='PackSSLInputs', target_keys=('order_label', 'segment_rates'))
train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SegmentRateOrderSampleClips',
        clip_len=16,
        num_segments=num_segments,
        rate_range=(1, 8),
        num_clips=2),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(171, 128), keep_ratio=False),
    clip_augment,
    dict(type='FormatShape', input_format='NCTHW'),
    pack_inputs,
]

# IV-D: SGD, lr 1e-3, momentum 0.9, weight decay 5e-4; lr x 0.1 after 200
# epochs (UCF101) / 20 (Kinetics-400), set by the dataset bases.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=5e-4))
# distributed runs: the momentum update / enqueue after DDP's step
model_wrapper_cfg = dict(
    type='mmssl.models.utils.SSLDistributedDataParallel')
