# 3D-ShuffleNet V1 2.0x, groups 3 (Köpüklü et al., ICCVW 2019): the
# small-capacity network of Kumar et al.'s benchmark study.
# Backbone 3.61M params, 0.53 GMACs at 16x112x112 (docs/backbones.md).
backbone = dict(type='ShuffleNet3D', groups=3, width_mult=2.0)
