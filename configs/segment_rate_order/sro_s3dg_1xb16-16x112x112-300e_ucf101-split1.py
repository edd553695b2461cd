# The R(2+1)D config with S3D-G (configs/_base_/models/backbones/s3dg.py;
# the paper's Table IX). Only the backbone differs; the 1024-d S3D-G
# feature feeds the heads and the projection (in_channels follow the
# backbone).
_base_ = ['./sro_r2plus1d-vcop_1xb16-16x112x112-300e_ucf101-split1.py']

model = dict(
    backbone=dict(
        _delete_=True, type='S3DG', gating=True,
        first_temporal_kernel_size=3))
