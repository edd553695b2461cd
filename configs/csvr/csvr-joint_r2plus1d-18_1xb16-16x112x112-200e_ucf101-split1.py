# CSVR stage 2, the paper setting (Sec. III-E, IV-B; Table VI: 200 epochs on
# UCF101): all branches end to end with Eq. 9 (sigma_p = sigma_c = 0.75),
# GANs not frozen, initialised from the stage 1a/1b checkpoints. V-Network
# R(2+1)D-18; fine-tune with
# configs/benchmarks/finetune/csvr-ft_r2plus1d-18_1xb32-16x112x112-cosine-100e_*.py.
_base_ = ['./_base_/csvr_ucf101_stage.py']
model = dict(
    stage='joint',
    stage_checkpoints=dict(
        pose='work_dirs/csvr-pose_cgan1d_1xb16-16x16-50e_ucf101-split1/'
        'epoch_50.pth',
        video='work_dirs/csvr-video_r2plus1d-18_1xb16-16x112x112-50e_'
        'ucf101-split1/epoch_50.pth'))
