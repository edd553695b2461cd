# CSVR Table V ablation: L_r and L_p, L_video = (L_r + L_p) / 2 (Eq. 8; the
# main config).
_base_ = ['../csvr-joint_r2plus1d-18_1xb16-16x112x112-200e_ucf101-split1.py']
model = dict(video_targets=('reconstruct', 'predict'))
