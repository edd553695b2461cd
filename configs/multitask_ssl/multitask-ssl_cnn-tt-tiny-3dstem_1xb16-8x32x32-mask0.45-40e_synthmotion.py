# Multi-task SSL, tiny CPU setting on SynthMotion, with a 3D convolutional
# stem (the "3D stem" CNN option of the encoder; issue 13, paper Sec. 3.3
# only says "CNN"). Everything but the encoder's first layer is the tiny
# full-method config: a Conv3d 3x3x3 (temporal stride 1, zero time padding,
# so one map per frame; spatial stride 2; BN, ReLU) on the whole clip, then
# two per-frame stride-2 convs (FrameConvStem(32, 64)), so the maps stay
# 4x4x64 at 32 px (stride 8 = patch_size) and the transformer is unchanged.
# Consequences (docs/methods/multitask_ssl.md, "3D stem"): every frame
# embedding sees its two neighbour frames before the transformer, so a
# masked frame's CNN map already carries its neighbours' content, and the
# order / direction tasks, which permute frame embeddings, no longer equal
# permuting input frames (backbone.frame_independent is False).
_base_ = [
    './multitask-ssl_cnn-tt-tiny_1xb16-8x32x32-mask0.45-40e_synthmotion.py'
]

model = dict(
    backbone=dict(
        _delete_=True,
        type='CNNTemporalTransformer',
        stem=dict(
            type='TemporalConvStem',
            out_channels=16,
            temporal_kernel=3,
            spatial_kernel=3,
            spatial_stride=2,
            with_pool=False),
        cnn=dict(type='FrameConvStem', channels=(32, 64)),  # in: 16 (stem)
        embed_dims=64,
        depth=2,
        num_heads=4,
        mlp_ratio=2.,
        dropout=0.0))
