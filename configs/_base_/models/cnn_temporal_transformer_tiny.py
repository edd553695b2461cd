# The tiny CNN + temporal-transformer encoder of the multi-task SSL configs
# (configs/multitask_ssl/, docs/methods/multitask_ssl.md), shared by the
# pretraining and the downstream (frozen probe, fine-tune) configs so that
# the checkpoint's backbone.* keys fit: a 3-layer frame CNN (4x4x64 maps at
# 32 px, stride 8) + 2 transformer layers of width 64; output (N, 64, T, 1, 1).
cnn_tt_tiny_backbone = dict(
    type='CNNTemporalTransformer',
    cnn=dict(type='FrameConvStem', channels=(16, 32, 64)),
    embed_dims=64,
    depth=2,
    num_heads=4,
    mlp_ratio=2.,
    dropout=0.0)
# the same, replacing an inherited backbone (downstream configs)
cnn_tt_tiny_backbone_replacing = dict(cnn_tt_tiny_backbone, _delete_=True)
