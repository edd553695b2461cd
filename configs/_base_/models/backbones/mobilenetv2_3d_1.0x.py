# 3D-MobileNet V2 1.0x (Köpüklü et al., ICCVW 2019).
# Backbone 2.35M params (3.12M with a 600-class fc), 0.55 GMACs at 16x112x112.
backbone = dict(type='MobileNetV2_3D', width_mult=1.0)
