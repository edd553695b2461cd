# The paper-scale CNN + temporal-transformer encoder of multi-task SSL
# (Jeyaprabhavathi, Sec. 3.3, Table 3): a per-frame 2D ResNet-50 up to
# layer3 (MMAction2 ResNet, 14 x 14 x 1024 maps at 224 px, stride 16) and a
# temporal transformer of width 1024 (64 x 1024 for 64 frames). Depth 4 and
# 8 heads are mmssl's choice (not given). Shared by the pretraining and the
# downstream configs so that the checkpoint's backbone.* keys fit.
cnn_tt_r50_backbone = dict(
    type='CNNTemporalTransformer',
    cnn=dict(
        type='ResNet',
        depth=50,
        num_stages=3,
        strides=(1, 2, 2),
        dilations=(1, 1, 1),
        out_indices=(2, ),
        pretrained=None,
        norm_eval=False),
    cnn_channels=1024,
    embed_dims=1024,
    depth=4,
    num_heads=8,
    mlp_ratio=4.,
    dropout=0.1)
# the same, replacing an inherited backbone (downstream configs)
cnn_tt_r50_backbone_replacing = dict(cnn_tt_r50_backbone, _delete_=True)
