# CSVR joint stage with an R3D-18 V-Network (Table VI): the backbone of
# configs/_base_/models/backbones/r3d_18.py (torchvision r3d_18 layout).
# Stage 1b (video) must be trained with the same backbone.
_base_ = ['./csvr-joint_r2plus1d-18_1xb16-16x112x112-200e_ucf101-split1.py']
model = dict(
    backbone=dict(
        _delete_=True,
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
        zero_init_residual=False),
    video_neck=dict(in_channels=512))
