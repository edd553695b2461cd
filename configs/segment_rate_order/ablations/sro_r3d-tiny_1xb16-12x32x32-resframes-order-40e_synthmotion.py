# Table VI, row 1, tiny CPU setting: order prediction only. The pipeline is
# the tiny config's (the key clip is still decoded but unused), so the runs
# of the ablation steps differ only in the model.
_base_ = ['../sro_r3d-tiny_1xb16-12x32x32-resframes-40e_synthmotion.py']

model = dict(rate_head=None, loss_contrast=None, queue_size=None)
