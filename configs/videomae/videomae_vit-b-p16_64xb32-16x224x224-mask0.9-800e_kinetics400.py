# VideoMAE at the paper's setting: Tong et al., "VideoMAE: Masked
# Autoencoders are Data-Efficient Learners for Self-Supervised Video
# Pre-Training", NeurIPS 2022 (the VideoMAE row of the benchmark study's
# Table 6: ViT-B, 16x224, pre-trained on Kinetics-400).
# - Sec. 3.3: cube embedding 2x16x16 (tubelet 2, patch 16), tube masking
#   with an extremely high ratio (0.9, Sec. 4.2 masking-ratio ablation),
#   encoder on visible tokens only, MSE on per-patch normalised pixels.
# - Table 1a: decoder depth 4; decoder width 384 with 6 heads for ViT-B
#   (authors' model definition).
# - Sec. 4.1 / appendix pre-training settings: 16 frames with temporal
#   stride 4 on K400, multi-scale crop to 224 (scales 1, .875, .75, .66),
#   AdamW betas (0.9, 0.95), weight decay 0.05, base lr 1.5e-4 scaled by
#   batch / 256, cosine decay, 40 warm-up epochs, 800 epochs, batch 2048
#   (64 GPUs x 32; authors' K400 ViT-B 800-epoch script). Warm-up starts at
#   1e-6 and the cosine ends at 1e-5 (base values, also scaled by
#   batch / 256; authors' defaults).
# The total batch here is 64 x 32 = 2048, so lr = 1.5e-4 * 2048 / 256.
# With a different number of GPUs or batch, pass --auto-scale-lr.
_base_ = [
    '../_base_/datasets/ucf101_split1.py', '../_base_/default_runtime.py'
]

num_frames = 16
img_size = 224
patch_size = 16
tubelet_size = 2
grid = (num_frames // tubelet_size, img_size // patch_size,
        img_size // patch_size)
model = dict(
    type='VideoMAE',
    backbone=dict(
        type='VisionTransformer',
        img_size=img_size,
        patch_size=patch_size,
        embed_dims=768,
        depth=12,
        num_heads=12,
        mlp_ratio=4,
        qkv_bias=True,
        num_frames=num_frames,
        tubelet_size=tubelet_size,
        norm_cfg=dict(type='LN', eps=1e-6),
        drop_path_rate=0.,
        # Xavier-uniform linear layers, as the authors' pre-training code
        init_cfg=[
            dict(type='Xavier', layer='Linear', distribution='uniform'),
            dict(type='Constant', layer='LayerNorm', val=1., bias=0.)
        ]),
    neck=dict(
        type='VideoMAEDecoder',
        in_channels=768,
        num_patches=grid[0] * grid[1] * grid[2],
        out_channels=tubelet_size * patch_size**2 * 3,
        embed_dims=384,
        depth=4,
        num_heads=6),
    head=dict(
        type='VideoMAEPixelHead',
        patch_size=patch_size,
        tubelet_size=tubelet_size,
        norm_pix=True,
        norm_per_channel=True),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))

# Kinetics-400 training videos in MMAction2's layout (tools/data/kinetics of
# MMAction2); the authors resize videos to a short side of 320 beforehand,
# done here by the first Resize. Labels are not used.
k400_root = 'data/kinetics400/videos_train'
k400_ann_file = 'data/kinetics400/kinetics400_train_list_videos.txt'
train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SampleFrames',
        clip_len=num_frames,
        frame_interval=4,
        num_clips=1),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 320)),
    dict(
        type='MultiScaleCrop',
        input_size=img_size,
        scales=(1, .875, .75, .66),
        random_crop=False,
        max_wh_scale_gap=1),
    # the authors' pre-training pipeline has no flip
    dict(type='Resize', scale=(img_size, img_size), keep_ratio=False),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='TubeMaskGenerator', input_size=grid, mask_ratio=0.9),
    dict(type='PackSSLInputs', target_keys=('mask', ))
]
train_dataloader = dict(
    batch_size=32,
    num_workers=10,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(
        type='VideoListDataset',
        ann_file=k400_ann_file,
        data_prefix=dict(video=k400_root),
        pipeline=train_pipeline))

# Retrieval (UCF101 split 1, inherited protocol) at the model's input
# size: 10 clips of 16 contiguous frames, centre crop 224.
retrieval_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='SampleFrames',
        clip_len=num_frames,
        frame_interval=1,
        num_clips=10,
        test_mode=True),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(-1, 256)),
    dict(type='CenterCrop', crop_size=img_size),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs')
]
test_dataloader = dict(
    dataset=dict(datasets=[
        dict(
            type='VideoListDataset',
            ann_file={{_base_.ann_file_train}},
            data_prefix=dict(video={{_base_.data_root}}),
            split_tag='train',
            pipeline=retrieval_pipeline,
            test_mode=True),
        dict(
            type='VideoListDataset',
            ann_file={{_base_.ann_file_val}},
            data_prefix=dict(video={{_base_.data_root}}),
            split_tag='test',
            pipeline=retrieval_pipeline,
            test_mode=True),
    ]))

max_epochs = 800
warmup_epochs = 40
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=1000)
val_cfg = None
val_dataloader = None
val_evaluator = None

base_lr = 1.5e-4
total_batch = 64 * 32
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(
        type='AdamW',
        lr=base_lr * total_batch / 256,
        betas=(0.9, 0.95),
        eps=1e-8,
        weight_decay=0.05),
    # no decay on 1-D parameters (norms, biases, q/v biases) and the mask
    # token (authors' optimizer factory)
    paramwise_cfg=dict(
        norm_decay_mult=0.,
        bias_decay_mult=0.,
        custom_keys={
            '.q_bias': dict(decay_mult=0.),
            '.v_bias': dict(decay_mult=0.),
            'mask_token': dict(decay_mult=0.)
        }))
param_scheduler = [
    dict(
        type='LinearLR',
        start_factor=1e-6 / base_lr,
        by_epoch=True,
        begin=0,
        end=warmup_epochs,
        convert_to_iter_based=True),
    dict(
        type='CosineAnnealingLR',
        eta_min_ratio=1e-5 / base_lr,
        by_epoch=True,
        begin=warmup_epochs,
        convert_to_iter_based=True)
]
default_hooks = dict(checkpoint=dict(interval=20, max_keep_ckpts=3))
auto_scale_lr = dict(enable=False, base_batch_size=total_batch)
