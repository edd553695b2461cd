# 3D-SqueezeNet 1.1 (Köpüklü et al., ICCVW 2019).
# Backbone 1.84M params (1.89M with a 101-class 1x1x1 conv classifier),
# 0.91 GMACs at 16x112x112.
backbone = dict(type='SqueezeNet3D', version='1.1')
