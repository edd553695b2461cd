# Table VI, row 3: + content-related contrastive learning with the
# cosine similarity (MoCo), no shuffle similarity, no view synthesis;
# 128-d embedding (IV-D).
_base_ = ['../sro_r2plus1d-vcop_1xb16-16x112x112-300e_ucf101-split1.py']

model = dict(
    neck=dict(out_channels=128),
    loss_contrast=dict(
        _delete_=True,
        type='QueueInfoNCELoss',
        temperature=0.07,
        loss_weight=1.0),
    view_synthesizer=None)
