# Baseline "temporal order prediction" of Tables 9-13 (Jeyaprabhavathi):
# the full tiny method with only the segment-order head (3.6, 4 segments,
# 24 classes); no direction head. Same encoder, augmentation, schedule and
# seed.
_base_ = ['./multitask-ssl_cnn-tt-tiny_1xb16-8x32x32-mask0.45-40e_synthmotion.py']

model = dict(
    contrast_neck=None,
    contrast_head=None,
    decoder=None,
    reconstruction_head=None,
    direction_head=None)
