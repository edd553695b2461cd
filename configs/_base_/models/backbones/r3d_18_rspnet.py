# ResNet-18 exactly as released by RSPNet (Chen et al., AAAI 2021;
# PeihaoChen/RSPNet models/resnet.py, arch resnet18, which is Hara et al.'s
# 3D-ResNets models/resnet.py): stem 7x7x7 conv, stride (1, 2, 2), BN, ReLU,
# then a 3x3x3 max-pool with stride 2 and padding 1 in T, H and W; 3x3x3
# basic blocks, stages 2-4 halve T, H, W; 1x1x1 conv + BN shortcuts
# (shortcut type B); BN eps 1e-5. 33,203,904 params (the 7x7x7 stem adds
# 37,632 to r3d_18.py); output 512 x T/16 x H/32 x W/32 (1x4x4 at
# 16x112x112). Same keys as MMAction2's ResNet3d (StemPoolResNet3d only
# changes the pool). Target of
# tools/model_converters/convert_checkpoint.py rspnet-r3d18.
backbone = dict(
    type='StemPoolResNet3d',
    depth=18,
    pretrained=None,
    pretrained2d=False,
    conv1_kernel=(7, 7, 7),
    conv1_stride_t=1,
    pool1_kernel_t=3,
    pool1_stride_t=2,
    with_pool2=False,
    inflate=(1, 1, 1, 1),
    spatial_strides=(1, 2, 2, 2),
    temporal_strides=(1, 2, 2, 2),
    zero_init_residual=False)
