# Multi-teacher knowledge distillation of the benchmark study (Kumar et al.,
# "A Large-Scale Analysis on Contextual Self-Supervised Video Representation
# Learning", Sec. 4.5, supp. D.6; docs/analysis/distillation.md):
#   L = CE(labels) + sum_t lambda_t * T^2 * KL(p_teacher_t || p_student)
# Student: the study's R(2+1)D fine-tuned on UCF101 split 1 with the study's
# fine-tuning recipe (configs/benchmarks/finetune/_base_/study-ft_
# r2plus1d-vcop.py); start it from a pretrained checkpoint with
# --cfg-options load_from=... as any fine-tuning. Teachers: fine-tuned
# UCF101 classifiers given as (config, checkpoint) pairs in the configs of
# this folder. Not given in the paper: T, lambda_t (T = 4 and lambda_t = 1
# here, Hinton et al.'s usual choices).
_base_ = ['../../../benchmarks/finetune/'
          'study-ft_r2plus1d-vcop_1xb8-16x112x112-150e_ucf101-split1.py']

finetune_dir = 'configs/benchmarks/finetune'
study_ft = (f'{finetune_dir}/'
            'study-ft_r2plus1d-vcop_1xb8-16x112x112-150e_ucf101-split1.py')
vcop_ft = (f'{finetune_dir}/'
           'vcop-ft_r3d-vcop_1xb8-16x112x112-150e_ucf101-split1.py')
model = dict(
    type='MultiTeacherDistiller',
    distill=dict(temperature=4.0, ce_weight=1.0, direction='forward'))
