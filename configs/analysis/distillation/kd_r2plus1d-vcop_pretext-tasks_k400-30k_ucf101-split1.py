# Axis 4 (supp. Table 15): the same architecture pretrained by a spatial (S)
# and a temporal (T) pretext task: RotNet + VCOP (non-contrastive row; the
# contrastive row is CVRL + TDL: swap the checkpoints).
_base_ = ['./_base_/kd_r2plus1d-vcop_ucf101-split1.py']

model = dict(teachers=[
    dict(config={{_base_.study_ft}},
         checkpoint='work_dirs/kd_teachers/rotnet_r21d_k400-30k_ft.pth',
         weight=1.0),
    dict(config={{_base_.study_ft}},
         checkpoint='work_dirs/kd_teachers/vcop_r21d_k400-30k_ft.pth',
         weight=1.0),
])
