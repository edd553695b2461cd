# Video Swin Transformer tiny (Liu et al., CVPR 2022), MMAction2's
# SwinTransformer3D: the large-capacity network of Kumar et al.'s study.
# 27.85M params, 11.40 GMACs at 16x112x112; output 768 x T/2 x H/32 x W/32.
# pretrained2d must stay False without a 2D checkpoint (True makes
# init_weights try to inflate ImageNet weights).
backbone = dict(
    type='SwinTransformer3D',
    arch='tiny',
    pretrained=None,
    pretrained2d=False,
    patch_size=(2, 4, 4),
    window_size=(8, 7, 7),
    mlp_ratio=4.,
    qkv_bias=True,
    qk_scale=None,
    drop_rate=0.,
    attn_drop_rate=0.,
    drop_path_rate=0.1,
    patch_norm=True)
