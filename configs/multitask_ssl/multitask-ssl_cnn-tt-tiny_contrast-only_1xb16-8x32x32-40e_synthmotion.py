# Baseline "contrastive instance-level learning" of Tables 9-13
# (Jeyaprabhavathi): the full tiny method with only the contrastive branch
# (3.5). Same encoder, views, schedule and seed.
_base_ = ['./multitask-ssl_cnn-tt-tiny_1xb16-8x32x32-mask0.45-40e_synthmotion.py']

model = dict(
    decoder=None,
    reconstruction_head=None,
    order_head=None,
    direction_head=None)
