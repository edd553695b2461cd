# CSVR Table IV ablation: context loss 'mi_infonce' (MIInfoNCELoss mode; InfoNCE and
# L2 use one random I-frame of the clip as the positive, Sec. IV-C).
_base_ = ['../csvr-joint_r2plus1d-18_1xb16-16x112x112-200e_ucf101-split1.py']
model = dict(loss_context=dict(mode='mi_infonce'))
