# Baseline "masked autoencoder" of Tables 9-13 (Jeyaprabhavathi): the full
# tiny method with only the masked reconstruction branch (3.4; view 0,
# mask ratio 0.45). Same encoder, augmentation, schedule and seed.
_base_ = ['./multitask-ssl_cnn-tt-tiny_1xb16-8x32x32-mask0.45-40e_synthmotion.py']

model = dict(
    contrast_neck=None,
    contrast_head=None,
    order_head=None,
    direction_head=None)
