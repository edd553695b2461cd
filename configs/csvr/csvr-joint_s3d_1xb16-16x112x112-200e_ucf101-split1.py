# CSVR joint stage with an S3D V-Network (S3D-G without gating = S3D,
# 1024-d; Table VI). Stage 1b (video) must be trained with the same backbone.
_base_ = ['./csvr-joint_r2plus1d-18_1xb16-16x112x112-200e_ucf101-split1.py']
model = dict(
    backbone=dict(
        _delete_=True, type='S3DG', gating=False,
        first_temporal_kernel_size=3),
    video_neck=dict(in_channels=1024))
