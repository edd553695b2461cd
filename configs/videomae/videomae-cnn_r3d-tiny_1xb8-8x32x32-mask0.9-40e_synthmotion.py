# VideoMAE* on a CNN (mmssl's adaptation for the study's "VideoMAE* 16x112
# R21D-18" row; docs/methods/videomae.md, "CNN variant"), tiny CPU setting
# on the embedded synthetic motion dataset. Scaled down from
# videomae-cnn_r2plus1d-vcop-18_8xb32-16x112x112-mask0.9-200e_k400-50k.py:
# 8x32x32 clips, cubes 2x8x8 (a 4x4x4 grid), tube mask 0.9 (14 of 16
# positions per time slice), the narrow 1-block-per-stage R3D of
# configs/_base_/models/vcop_r3d_tiny.py with spatial strides (1, 2, 1, 1)
# so that its 4x4 output grid is the cube grid (as R(2+1)D-18's 7x7 at
# 112 px), a 1-block 64-wide conv decoder, normalised-pixel MSE on the
# masked cubes. Schedule of the ViT tiny config (AdamW lr 1e-3).
# Data pipeline (tube mask on the 4x4x4 grid) and schedule: the ViT config.
_base_ = ['./videomae_vit-tiny-p8_1xb8-8x32x32-mask0.9-40e_synthmotion.py']

patch_size = 8
tubelet_size = 2
model = dict(
    _delete_=True,
    type='VideoMAECNN',
    mask_fill=0.,
    backbone=dict(
        type='ResNet3d',
        depth=18,
        stage_blocks=(1, 1, 1, 1),
        base_channels=16,
        spatial_strides=(1, 2, 1, 1),
        pretrained=None,
        pretrained2d=False,
        conv1_kernel=(3, 7, 7),
        conv1_stride_t=1,
        pool1_stride_t=1,
        inflate=(1, 1, 1, 1),
        norm_eval=False),
    neck=dict(
        type='VideoMAEConvDecoder',
        in_channels=128,
        out_channels=tubelet_size * patch_size**2 * 3,
        embed_dims=64,
        depth=1),
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
# no ViT parameters here: only norms and biases are exempt from decay
optim_wrapper = dict(
    paramwise_cfg=dict(
        _delete_=True, norm_decay_mult=0., bias_decay_mult=0.))
