# Frozen-encoder probe (Jeyaprabhavathi, Sec. 3.7: the encoder stays frozen
# during downstream evaluation) of the paper-scale multi-task SSL encoder
# (configs/_base_/models/cnn_temporal_transformer_r50.py) on UCF101 split 1:
# r3d-18_linear_ucf101-split1.py's recipe with this backbone (1024-d),
# accuracy plus macro precision / recall / F1 (the paper's Tables 9-12).
# Its clips are that config's 16x112 ones; the encoder takes any T and any
# frame size (2D CNN + sinusoidal time encoding).
#   python tools/train.py configs/benchmarks/linear/cnn-tt-r50_linear_ucf101-split1.py \
#       --cfg-options model.backbone_checkpoint=CKPT
_base_ = [
    './r3d-18_linear_ucf101-split1.py',
    '../../_base_/models/cnn_temporal_transformer_r50.py'
]

model = dict(
    backbone={{_base_.cnn_tt_r50_backbone_replacing}},
    cls_head=dict(in_channels=1024))
val_evaluator = [dict(type='AccMetric'), dict(type='ClassificationReport')]
test_evaluator = val_evaluator
