# Baseline "temporal order prediction" (Tables 9-13) of the paper setting:
# only the segment-order head.
_base_ = ['./multitask-ssl_r50-tt_1xb16-64x224x224-mask0.45-100e_ucf101-split1.py']

model = dict(
    contrast_neck=None,
    contrast_head=None,
    decoder=None,
    reconstruction_head=None,
    direction_head=None)
