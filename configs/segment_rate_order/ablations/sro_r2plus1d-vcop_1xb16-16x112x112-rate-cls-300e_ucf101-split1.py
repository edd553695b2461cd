# Table V: the sampling rate as a classification problem (8 classes per
# segment, cross-entropy) instead of regression (MSE).
_base_ = ['../sro_r2plus1d-vcop_1xb16-16x112x112-300e_ucf101-split1.py']

model = dict(rate_head=dict(mode='classification', max_rate=8))
