# Axis 2 (supp. Table 13, "TC" rows): teachers of one pretext task at its
# three complexity levels (VCOP with 3, 4 and 5 clips, Sec. 4.2), same
# architecture (R(2+1)D) and subset (K400-30k).
_base_ = ['./_base_/kd_r2plus1d-vcop_ucf101-split1.py']

model = dict(teachers=[
    dict(config={{_base_.study_ft}},
         checkpoint=('work_dirs/kd_teachers/'
                     f'vcop-{n}clips_r21d_k400-30k_ft.pth'),
         weight=1.0) for n in (3, 4, 5)
])
