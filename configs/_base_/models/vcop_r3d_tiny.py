# VCOP on a narrow, shallow R3D (MMAction2 ResNet3d with one block per stage,
# 16 base channels): trains on a CPU in minutes.
model = dict(
    type='VCOP',
    backbone=dict(
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
        norm_eval=False),
    head=dict(
        type='VCOPHead', num_clips=3, hidden_channels=128),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))
