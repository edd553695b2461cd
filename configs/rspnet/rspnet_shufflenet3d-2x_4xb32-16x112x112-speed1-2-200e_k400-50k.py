# RSPNet with the benchmark study's small-capacity network, 3D-ShuffleNet V1
# 2.0x (groups 3; Sec. 3 "Spatio-temporal architectures"), i.e. the zoo's
# configs/_base_/models/backbones/shufflenet3d_2.0x.py. Everything else as
# the R(2+1)D config; only the backbone line differs.
_base_ = ['./rspnet_r2plus1d-vcop_4xb32-16x112x112-speed1-2-200e_k400-50k.py']

model = dict(
    backbone=dict(_delete_=True, type='ShuffleNet3D', groups=3,
                  width_mult=2.0))
