# R3D of VCOP (Xu et al., CVPR 2019) / PRP (Yao et al., CVPR 2020):
# VCOP's R3DNet(layer_sizes=(1, 1, 1, 1)) expressed with MMAction2's
# ResNet3d: one basic block per stage, all convs 3x3x3 (bias-free, BN; an
# inflated BasicBlock3d has two 3x3x3 convs whatever inflate_style), stem
# 3x7x7 stride (1, 2, 2) without max-pool, stages 2-4 halve T, H, W
# (1x1x1 stride-2 conv + BN shortcuts). Same parameters (14,361,792) and
# MACs (19.91 G at 16x112x112) as VCOP's model: the study's 14.4M / 39.8
# GFLOPs. Output 512 x T/8 x H/16 x W/16.
backbone = dict(
    type='ResNet3d',
    depth=18,
    stage_blocks=(1, 1, 1, 1),
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
