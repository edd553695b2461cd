# CSVR stage 1b (Sec. IV-B): the video TGANs (reconstructor + predictor,
# Eq. 6-8) conditioned on f_i; V-Network R(2+1)D-18 + g^V give f_s, the
# frozen pose generator of stage 1a gives f_d. Epochs not given: 50.
_base_ = ['./_base_/csvr_ucf101_stage.py']
model = dict(
    stage='video',
    stage_checkpoints=dict(
        pose='work_dirs/csvr-pose_cgan1d_1xb16-16x16-50e_ucf101-split1/'
        'epoch_50.pth'))
train_cfg = dict(max_epochs=50)
