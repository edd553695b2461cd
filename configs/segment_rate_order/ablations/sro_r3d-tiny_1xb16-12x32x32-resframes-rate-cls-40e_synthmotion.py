# Table V, tiny CPU setting: the sampling rate as a classification problem
# (4 classes per segment for p = [1, 4], cross-entropy) instead of
# regression (MSE); everything else is the tiny residual-frame config.
_base_ = ['../sro_r3d-tiny_1xb16-12x32x32-resframes-40e_synthmotion.py']

model = dict(rate_head=dict(mode='classification', max_rate=4))
