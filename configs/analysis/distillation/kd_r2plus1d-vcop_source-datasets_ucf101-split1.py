# Axis 3 (supp. Table 14): one pretext task pretrained on two source
# datasets, K400 (T1) and SSv2 (T2), both R(2+1)D fine-tuned on UCF101.
# Shown for VCOP; the study's table also has RotNet, CVRL and RSPNet (swap
# the checkpoints).
_base_ = ['./_base_/kd_r2plus1d-vcop_ucf101-split1.py']

model = dict(teachers=[
    dict(config={{_base_.study_ft}},
         checkpoint='work_dirs/kd_teachers/vcop_r21d_k400-30k_ft.pth',
         weight=1.0),
    dict(config={{_base_.study_ft}},
         checkpoint='work_dirs/kd_teachers/vcop_r21d_sthv2_ft.pth',
         weight=1.0),
])
