# CSVR joint stage with a C3D V-Network (VCOP's C3D with BN, 512-d; Table
# VI). Stage 1b (video) must be trained with the same backbone.
_base_ = ['./csvr-joint_r2plus1d-18_1xb16-16x112x112-200e_ucf101-split1.py']
model = dict(
    backbone=dict(_delete_=True, type='C3DVCOP'),
    video_neck=dict(in_channels=512))
