# VideoMAE with a tiny ViT for 8x32x32 clips (patch 8, tubelet 2: a 4x4x4
# token grid), MMAction2's VisionTransformer as the encoder: trains on a CPU
# in minutes. Widths/depths are scaled down from ViT-B (768 wide, 12 blocks,
# decoder 384 wide, 4 blocks; configs/videomae/README.md).
num_frames = 8
img_size = 32
patch_size = 8
tubelet_size = 2
embed_dims = 96
num_tokens = (num_frames // tubelet_size) * (img_size // patch_size)**2
model = dict(
    type='VideoMAE',
    backbone=dict(
        type='VisionTransformer',
        img_size=img_size,
        patch_size=patch_size,
        embed_dims=embed_dims,
        depth=4,
        num_heads=4,
        mlp_ratio=4,
        qkv_bias=True,
        num_frames=num_frames,
        tubelet_size=tubelet_size,
        norm_cfg=dict(type='LN', eps=1e-6),
        # Xavier-uniform linear layers, as the authors' pre-training code
        init_cfg=[
            dict(type='Xavier', layer='Linear', distribution='uniform'),
            dict(type='Constant', layer='LayerNorm', val=1., bias=0.)
        ]),
    neck=dict(
        type='VideoMAEDecoder',
        in_channels=embed_dims,
        num_patches=num_tokens,
        out_channels=tubelet_size * patch_size**2 * 3,
        embed_dims=48,
        depth=2,
        num_heads=3),
    head=dict(
        type='VideoMAEPixelHead',
        patch_size=patch_size,
        tubelet_size=tubelet_size,
        norm_pix=True),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))
