# VCOP with the benchmark study's small-capacity network, 3D-ShuffleNet V1
# 2.0x (groups 3; Sec. 3), i.e. the zoo's configs/_base_/models/backbones/
# shufflenet3d_2.0x.py (1920 output channels). Everything else as the
# R(2+1)D config; the head reads its in_channels from the backbone.
_base_ = ['./vcop_r2plus1d-vcop_1xb8-16x112x112-4clips-200e_k400-50k.py']

model = dict(
    backbone=dict(_delete_=True, type='ShuffleNet3D', groups=3,
                  width_mult=2.0))
