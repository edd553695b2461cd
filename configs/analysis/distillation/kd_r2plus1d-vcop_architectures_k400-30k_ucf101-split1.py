# Axis 1 (supp. Table 13): teachers of different architectures pretrained
# on the same K400-30k subset by the same pretext task (VCOP): the study's
# R(2+1)D and R3D. (The study also uses ShuffleNet / SqueezeNet / MobileNet
# teachers; add them as further (config, checkpoint) pairs once their
# UCF101 fine-tuning configs exist.) Checkpoints: each teacher's UCF101
# fine-tuning (tools/train.py <teacher config> --cfg-options
# load_from=<pretrained>), paths as below.
_base_ = ['./_base_/kd_r2plus1d-vcop_ucf101-split1.py']

model = dict(teachers=[
    dict(config={{_base_.study_ft}},
         checkpoint='work_dirs/kd_teachers/vcop_r21d_k400-30k_ft.pth',
         weight=1.0),
    dict(config={{_base_.vcop_ft}},
         checkpoint='work_dirs/kd_teachers/vcop_r3d_k400-30k_ft.pth',
         weight=1.0),
])
