# CSVR Table V ablation: video branch with the prediction objective L_p only
# (no reconstructor TGAN; L_video = L_p).
_base_ = ['../csvr-joint_r2plus1d-18_1xb16-16x112x112-200e_ucf101-split1.py']
model = dict(video_targets=('predict', ))
