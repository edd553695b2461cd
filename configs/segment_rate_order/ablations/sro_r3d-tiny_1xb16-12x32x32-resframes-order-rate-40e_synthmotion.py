# Table VI, row 2, tiny CPU setting: order + rate prediction (no contrast;
# the key clip is decoded but unused).
_base_ = ['../sro_r3d-tiny_1xb16-12x32x32-resframes-40e_synthmotion.py']

model = dict(loss_contrast=None, queue_size=None)
