# R3D-18 with MMAction2's ResNet3d, laid out like torchvision's r3d_18 (the
# "R3D-18" of most video SSL papers): 3x3x3 convs in every block, stem
# 3x7x7 stride (1, 2, 2) without max-pool, stages 2-4 halve T, H, W.
# 33.17M params, 40.74 GMACs at 16x112x112; output 512 x T/8 x H/16 x W/16.
backbone = dict(
    type='ResNet3d',
    depth=18,
    pretrained=None,
    pretrained2d=False,
    conv1_kernel=(3, 7, 7),
    conv1_stride_t=1,
    with_pool1=False,
    with_pool2=False,
    inflate=(1, 1, 1, 1),
    spatial_strides=(1, 2, 2, 2),
    temporal_strides=(1, 2, 2, 2),
    zero_init_residual=False)
