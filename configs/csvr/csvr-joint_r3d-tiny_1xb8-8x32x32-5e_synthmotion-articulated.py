# CSVR stage 2, tiny CPU: all three branches end to end (Eq. 9, sigma_p =
# sigma_c = 0.75; GANs not frozen), initialised from the pose-stage and
# video-stage checkpoints (only each branch's keys are loaded). Paper
# setting: csvr-joint_r2plus1d-18_1xb16-16x112x112-200e_ucf101-split1.py.
_base_ = ['./_base_/csvr_tiny_stage.py']
model = dict(
    stage='joint',
    stage_checkpoints=dict(
        pose='work_dirs/csvr_tiny_pose/epoch_10.pth',
        video='work_dirs/csvr_tiny_video/epoch_5.pth'))
train_cfg = dict(max_epochs=5)
