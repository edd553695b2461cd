# Supervised fine-tuning of a VideoMAE-pretrained tiny ViT with MMAction2's
# Recognizer3D on the synthetic motion dataset (tiny CPU setting). The
# backbone matches configs/_base_/models/videomae_vit_tiny.py; the
# checkpoint's `backbone.*` weights load directly:
#   python tools/train.py configs/benchmarks/finetune/vit-tiny-p8_finetune_synthmotion.py \
#       --cfg-options load_from=work_dirs/videomae_tiny/epoch_40.pth
# (the decoder's `neck.*` keys are reported as unexpected and ignored).
_base_ = ['./r3d-tiny_finetune_synthmotion.py']

model = dict(
    type='Recognizer3D',
    backbone=dict(
        _delete_=True,
        type='VisionTransformer',
        img_size=32,
        patch_size=8,
        embed_dims=96,
        depth=4,
        num_heads=4,
        mlp_ratio=4,
        qkv_bias=True,
        num_frames=8,
        tubelet_size=2,
        norm_cfg=dict(type='LN', eps=1e-6)),
    cls_head=dict(
        _delete_=True,
        type='TimeSformerHead',
        num_classes=8,
        in_channels=96,
        average_clips='prob'))

# AdamW as MMAction2's VideoMAE fine-tuning configs (the r3d base uses SGD)
optim_wrapper = dict(
    _delete_=True,
    type='OptimWrapper',
    optimizer=dict(
        type='AdamW', lr=1e-3, betas=(0.9, 0.999), weight_decay=0.05),
    paramwise_cfg=dict(norm_decay_mult=0., bias_decay_mult=0.),
    clip_grad=dict(max_norm=5, norm_type=2))
