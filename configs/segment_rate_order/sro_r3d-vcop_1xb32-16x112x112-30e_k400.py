# Kinetics-400 pretraining of
# sro_r3d-vcop_1xb16-16x112x112-300e_ucf101-split1.py:
# the R(2+1)D Kinetics-400 config with this backbone.
_base_ = ['./sro_r2plus1d-vcop_1xb32-16x112x112-30e_k400.py']

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
