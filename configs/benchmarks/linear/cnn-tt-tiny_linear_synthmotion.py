# Frozen-encoder probe of the multi-task SSL encoder (Jeyaprabhavathi,
# Sec. 3.7: "the encoder remains frozen during downstream evaluation"):
# the tiny CNN + temporal transformer (configs/_base_/models/
# cnn_temporal_transformer_tiny.py) under FrozenBackboneRecognizer3D
# (parameters and BatchNorm statistics frozen), a linear I3DHead on the
# time-averaged frame embeddings. Everything else is
# r3d-tiny_linear_synthmotion.py's (one centre clip of 8 frames, SGD,
# cosine, 30 epochs, zero-initialised head); validation adds macro
# precision / recall / F1 (ClassificationReport), the paper's metrics.
#   python tools/train.py configs/benchmarks/linear/cnn-tt-tiny_linear_synthmotion.py \
#       --cfg-options model.backbone_checkpoint=work_dirs/multitask_ssl/epoch_40.pth
_base_ = [
    './r3d-tiny_linear_synthmotion.py',
    '../../_base_/models/cnn_temporal_transformer_tiny.py'
]

model = dict(
    backbone={{_base_.cnn_tt_tiny_backbone_replacing}},
    cls_head=dict(in_channels=64))
val_evaluator = [dict(type='AccMetric'), dict(type='ClassificationReport')]
test_evaluator = val_evaluator
