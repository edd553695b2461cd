# The multi-task SSL model (Jeyaprabhavathi, Sec. 3; MultiTaskSSL) at the
# paper-scale widths; the method configs set the backbone and, for the
# tiny CPU setting, narrower heads. Branches (3.4-3.6) are switched off
# by setting their modules to None (the baselines of Tables 9-13).
model = dict(
    type='MultiTaskSSL',
    # 3.5: projection head + InfoNCE over the batch, tau 0.07 (Table 7),
    # negatives gathered across ranks
    contrast_neck=dict(
        type='MLPProjectionNeck',
        in_channels=None,
        hidden_channels=2048,
        num_hidden_layers=1,
        out_channels=128),
    contrast_head=dict(
        type='CVRLHead',
        loss=dict(
            type='InstanceContrastiveLoss',
            temperature=0.07,
            symmetric=True,
            gather_distributed=True)),
    # 3.4: decoder of the masked patches; loss on masked patches only.
    # patch_size must equal the mask generator's patch (frame size / grid)
    decoder=dict(type='FramePixelDecoder', embed_dims=256, depth=2),
    reconstruction_head=dict(
        type='MaskedPixelHead', patch_size=16, tubelet_size=1),
    # 3.6: L_temp = L_order + L_motion; num_segments must equal
    # TemporalPretextLabels.num_segments
    order_head=dict(
        type='SegmentSequenceClsHead',
        num_segments=4,
        hidden_channels=512,
        name='order'),
    direction_head=dict(
        type='SegmentSequenceClsHead',
        num_segments=4,
        hidden_channels=512,
        name='direction'),
    # 3.7: alpha, beta, gamma (the paper gives no values)
    loss_weights=dict(contrast=1.0, reconstruction=1.0, temporal=1.0),
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))
