# Table VI, row 3, tiny CPU setting: order + rate + MoCo contrast with the
# cosine similarity (no shuffle similarity); 128-d embedding.
_base_ = ['../sro_r3d-tiny_1xb16-12x32x32-resframes-40e_synthmotion.py']

model = dict(
    neck=dict(out_channels=128),
    loss_contrast=dict(
        _delete_=True,
        type='QueueInfoNCELoss',
        temperature=0.07,
        loss_weight=1.0))
