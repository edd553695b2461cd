# Baseline "contrastive instance-level learning" (Tables 9-13) of the paper
# setting: only the contrastive branch.
_base_ = ['./multitask-ssl_r50-tt_1xb16-64x224x224-mask0.45-100e_ucf101-split1.py']

model = dict(
    decoder=None,
    reconstruction_head=None,
    order_head=None,
    direction_head=None)
