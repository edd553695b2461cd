# Supervised fine-tuning of the multi-task SSL encoder (tiny CNN + temporal
# transformer, configs/_base_/models/cnn_temporal_transformer_tiny.py) on
# SynthMotion with MMAction2's Recognizer3D; everything but the backbone and
# the head width is r3d-tiny_finetune_synthmotion.py's (AccMetric +
# ClassificationReport). The paper evaluates with a frozen encoder
# (cnn-tt-tiny_linear_synthmotion.py); this config is the fine-tune option.
#   python tools/train.py configs/benchmarks/finetune/cnn-tt-tiny_finetune_synthmotion.py \
#       --cfg-options load_from=work_dirs/multitask_ssl/epoch_40.pth
_base_ = [
    './r3d-tiny_finetune_synthmotion.py',
    '../../_base_/models/cnn_temporal_transformer_tiny.py'
]

model = dict(
    backbone={{_base_.cnn_tt_tiny_backbone_replacing}},
    cls_head=dict(in_channels=64))
