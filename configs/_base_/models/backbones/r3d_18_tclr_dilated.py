# R3D-18 exactly as released by TCLR (Dave et al., CVIU 2022;
# DAVEISHAN/TCLR tclr_pretraining/model.py): torchvision's r3d_18 with the
# first conv of stage 4 at temporal stride 1 and temporal dilation 2 (its
# shortcut at temporal stride 1), so 16 frames keep 4 temporal steps.
# Same keys and shapes as configs/_base_/models/tclr_family_r3d_18.py (which
# has temporal stride 1 but no dilation, MMAction2's ResNet3d having none);
# use this one to reproduce a converted TCLR checkpoint exactly
# (tools/model_converters/convert_checkpoint.py tclr-r3d18).
backbone = dict(
    type='TemporallyDilatedResNet3d',
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
    first_conv_temporal_dilations=(1, 1, 1, 2),
    zero_init_residual=False)
