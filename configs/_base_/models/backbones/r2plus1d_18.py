# R(2+1)D-18 with MMAction2's ResNet2Plus1d, as MMAction2's r2plus1d_r34
# model config but with depth 18 and plain BN3d. ResNet2Plus1d always applies
# the stem max-pool (1x3x3, spatial stride 2), so the output is
# 512 x T/8 x H/32 x W/32 (2x4x4 at 16x112x112); 33.23M params, 11.86 GMACs.
# For the pool-free 18-layer R(2+1)D of VCOP use
# dict(type='R2Plus1DVCOP', layer_sizes=(2, 2, 2, 2)) (33.18M, 42.30 GMACs).
backbone = dict(
    type='ResNet2Plus1d',
    depth=18,
    pretrained=None,
    pretrained2d=False,
    norm_eval=False,
    conv_cfg=dict(type='Conv2plus1d'),
    norm_cfg=dict(type='BN3d', requires_grad=True, eps=1e-3),
    conv1_kernel=(3, 7, 7),
    conv1_stride_t=1,
    pool1_stride_t=1,
    inflate=(1, 1, 1, 1),
    spatial_strides=(1, 2, 2, 2),
    temporal_strides=(1, 2, 2, 2),
    zero_init_residual=False)
