# Multi-teacher distillation, tiny CPU setting on SynthMotion-RGB
# (docs/analysis/distillation.md): the tiny R3D student of
# r3d-tiny_finetune_synthmotion-rgb.py distilled from a tiny R3D trained on
# RGB clips and a tiny R3D trained on residual frames (another input
# pipeline: the teacher's own preprocessor turns the student's clip into
# frame differences). Train the teachers first:
#   python tools/train.py configs/benchmarks/finetune/r3d-tiny_finetune_synthmotion-rgb.py \
#       --work-dir work_dirs/kd_teachers/rgb
#   python tools/train.py configs/benchmarks/finetune/r3d-tiny-resframes_finetune_synthmotion.py \
#       --data-root data/synthmotion_rgb --work-dir work_dirs/kd_teachers/res
_base_ = ['../../benchmarks/finetune/r3d-tiny_finetune_synthmotion-rgb.py']

finetune_dir = 'configs/benchmarks/finetune'
model = dict(
    type='MultiTeacherDistiller',
    teachers=[
        dict(config=f'{finetune_dir}/r3d-tiny_finetune_synthmotion-rgb.py',
             checkpoint='work_dirs/kd_teachers/rgb/epoch_100.pth',
             weight=1.0),
        dict(config=f'{finetune_dir}/'
             'r3d-tiny-resframes_finetune_synthmotion.py',
             checkpoint='work_dirs/kd_teachers/res/epoch_20.pth',
             weight=1.0),
    ],
    distill=dict(temperature=4.0))
