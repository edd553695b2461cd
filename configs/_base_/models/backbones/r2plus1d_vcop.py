# R(2+1)D of VCOP (Xu et al., CVPR 2019) / PRP (Yao et al., CVPR 2020):
# VCOP's R2Plus1DNet(layer_sizes=(1, 1, 1, 1)). 14,365,303 params, 21.44
# GMACs at 16x112x112 (the study's 14.4M / 42.9 GFLOPs). MMAction2's
# ResNet2Plus1d cannot express it exactly (its Conv2plus1d fixes the temporal
# kernel to 3 in the middle-width formula, which changes the 1x1x1
# shortcuts, and it always applies a stem max-pool).
backbone = dict(type='R2Plus1DVCOP', layer_sizes=(1, 1, 1, 1))
