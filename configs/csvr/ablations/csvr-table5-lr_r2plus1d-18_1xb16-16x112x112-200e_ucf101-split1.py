# CSVR Table V ablation: video branch with the reconstruction objective L_r
# only (no predictor TGAN; L_video = L_r).
_base_ = ['../csvr-joint_r2plus1d-18_1xb16-16x112x112-200e_ucf101-split1.py']
model = dict(video_targets=('reconstruct', ))
