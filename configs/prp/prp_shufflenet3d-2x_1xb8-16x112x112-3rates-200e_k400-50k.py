# PRP with the benchmark study's small-capacity network, 3D-ShuffleNet V1
# 2.0x (groups 3; Sec. 3), i.e. the zoo's configs/_base_/models/backbones/
# shufflenet3d_2.0x.py. Everything else as the R(2+1)D config except the
# head's two adapter convs: 1x1x1 to 512 channels instead of 3x3x3 at the
# backbone's 1920 (which would add 2 x 99.5M parameters); our choice, the
# study does not say how it adapted PRP's head (docs/methods/prp.md).
_base_ = ['./prp_r2plus1d-vcop_1xb8-16x112x112-3rates-200e_k400-50k.py']

model = dict(
    backbone=dict(_delete_=True, type='ShuffleNet3D', groups=3,
                  width_mult=2.0),
    head=dict(cls_channels=512, rec_channels=512, adapter_kernel=1))
