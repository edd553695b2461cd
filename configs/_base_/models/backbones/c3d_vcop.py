# C3D of VCOP (Xu et al., CVPR 2019) / PRP (Yao et al., CVPR 2020): the 8
# conv layers with BN, no fc layers. 27.66M params, 38.54 GMACs at
# 16x112x112 (the study's 27.7M / 77.2 GFLOPs, GFLOPs = 2 x MACs).
backbone = dict(type='C3DVCOP')
