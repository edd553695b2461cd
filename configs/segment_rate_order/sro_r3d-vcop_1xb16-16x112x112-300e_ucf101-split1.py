# The R(2+1)D config with VCOP's R3D (configs/_base_/models/backbones/
# r3d_vcop.py; the paper's Table VIII: 19.9 GFLOPs). Only the backbone
# differs.
_base_ = ['./sro_r2plus1d-vcop_1xb16-16x112x112-300e_ucf101-split1.py']

model = dict(
    backbone=dict(
        _delete_=True,
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
        zero_init_residual=False))
