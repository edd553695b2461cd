# The R(2+1)D config with VCOP's C3D (configs/_base_/models/backbones/
# c3d_vcop.py; the paper's Table VIII: 38.6 GFLOPs). Only the backbone
# differs.
_base_ = ['./sro_r2plus1d-vcop_1xb16-16x112x112-300e_ucf101-split1.py']

model = dict(backbone=dict(_delete_=True, type='C3DVCOP'))
