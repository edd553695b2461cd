# Kinetics-400 pretraining of sro_s3dg_1xb16-16x112x112-300e_ucf101-split1.py:
# the R(2+1)D Kinetics-400 config with this backbone.
_base_ = ['./sro_r2plus1d-vcop_1xb32-16x112x112-30e_k400.py']

model = dict(
    backbone=dict(
        _delete_=True, type='S3DG', gating=True,
        first_temporal_kernel_size=3))
