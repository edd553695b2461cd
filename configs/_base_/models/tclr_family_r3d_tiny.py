# Pieces shared by the tiny TCLR-family configs (TCLR, Simplified TCLR,
# STCLR, Same Speed Localization): the narrow, shallow R3D of the VCOP tiny
# config (MMAction2 ResNet3d, one block per stage, 16 base channels; 128-d
# output, an 8-frame clip keeps 4 timesteps for the global-local loss), a
# one-hidden-layer projection head and the data preprocessor.
tiny_backbone = dict(
    type='ResNet3d',
    depth=18,
    stage_blocks=(1, 1, 1, 1),
    base_channels=16,
    pretrained=None,
    pretrained2d=False,
    conv1_kernel=(3, 7, 7),
    conv1_stride_t=1,
    pool1_stride_t=1,
    inflate=(1, 1, 1, 1),
    norm_eval=False)
# TCLR's head layout (released mlp.py, see tclr_family_r3d_18.py) at
# 128 -> 128 -> 64.
tiny_neck = dict(
    type='ProjectionMLP', in_channels=128, hidden_channels=128,
    out_channels=64, with_last_bias=False, out_norm_cfg=dict(type='BN1d'),
    l2_normalize=True)
data_preprocessor = dict(
    type='ActionDataPreprocessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    format_shape='NCTHW')
