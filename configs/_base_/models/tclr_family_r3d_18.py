# R3D-18 of the TCLR family (STCLR Sec. 4.2.2 "3D-ResNet-18"; TCLR's r3d_18
# from torchvision): 3x3x3 convs, 3x7x7 stem with spatial stride 2 and no
# max-pool, stages 2-4 halve H and W. TCLR keeps 4 timesteps of a 16-frame
# clip in the last stage for the global-local loss by replacing the temporal
# stride of stage 4 with a temporal dilation of 2 (released model.py).
# MMAction2's ResNet3d has no temporal dilation, so stage 4 here simply has
# temporal stride 1 (same parameters and state-dict shapes; a smaller
# temporal receptive field in stage 4): 16 frames -> 4 x 7 x 7 x 512.
r3d_18_backbone = dict(
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
    temporal_strides=(1, 2, 2, 1),
    zero_init_residual=False)
# TCLR's projection head (released mlp.py): Linear(512, 512) + BN + ReLU +
# Linear(512, 128, no bias) + BN ("MLP with one hidden layer", STCLR 4.2.2).
r3d_18_neck = dict(
    type='ProjectionMLP', in_channels=512, hidden_channels=512,
    out_channels=128, with_last_bias=False, out_norm_cfg=dict(type='BN1d'),
    l2_normalize=True)
data_preprocessor = dict(
    type='ActionDataPreprocessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    format_shape='NCTHW')
