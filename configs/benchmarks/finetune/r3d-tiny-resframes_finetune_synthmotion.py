# Supervised fine-tuning of a backbone pretrained on residual frames (e.g.
# configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-resframes-40e_synthmotion.py):
# the recognizer must see the same input, so it uses mmssl's
# ResidualFramesPreprocessor (registered in mmssl's MODELS, a child of
# MMAction2's; default_scope='mmssl' resolves both).
#   python tools/train.py configs/benchmarks/finetune/r3d-tiny-resframes_finetune_synthmotion.py \
#       --cfg-options load_from=work_dirs/demo_vcop/epoch_40.pth
_base_ = ['./r3d-tiny_finetune_synthmotion.py']

model = dict(data_preprocessor=dict(type='ResidualFramesPreprocessor'))
