# CSVR model of the tiny CPU configs (8x32x32 clips, 17 COCO joints, K = 4
# I-frames of 32x32): the narrow 1-block R3D of the TCLR-family tiny configs
# as V-Network (128-d), the R2D-10 I-Network, 64-d embeddings (f_s, f_d,
# f_i) and small GANs. The paper-scale model is csvr_r2plus1d-18_model.py.
_base_ = ['../../_base_/models/tclr_family_r3d_tiny.py']

gen_frames = 8
csvr_embed_dim = 64
model = dict(
    type='CSVR',
    backbone={{_base_.tiny_backbone}},
    # g^V, g^I: two-layer MLP heads after global average pooling (III-C)
    video_neck=dict(
        type='MLPProjectionNeck', in_channels=128, hidden_channels=128,
        num_hidden_layers=1, out_channels=csvr_embed_dim),
    iframe_backbone=dict(type='ResNet2D10'),
    iframe_neck=dict(
        type='MLPProjectionNeck', in_channels=512, hidden_channels=128,
        num_hidden_layers=1, out_channels=csvr_embed_dim),
    pose_generator=dict(
        type='PoseGenerator1D', num_joints=17, out_frames=gen_frames,
        noise_dim=8, encoder_channels=(32, 32, 64, 64, 64, 64),
        encoder_strides=(1, 1, 2, 1, 2, 1), decoder_channels=(64, 32)),
    pose_discriminator=dict(
        type='PoseDiscriminator1D', num_joints=17, channels=(32, 64),
        strides=(1, 2)),
    dynamic_neck=dict(
        type='DynamicFeatureNeck', in_channels=64, hidden_channels=64,
        out_channels=csvr_embed_dim),
    integration=dict(type='CSVRIntegration', channels=csvr_embed_dim,
                     mode='full'),
    video_generator=dict(
        type='ConditionalVideoGenerator', cond_channels=csvr_embed_dim,
        out_shape=(gen_frames, 32, 32), noise_dim=16, channels=(64, 32, 16),
        seed_shape=(2, 8, 8)),
    video_discriminator=dict(
        type='VideoDiscriminator3D', channels=(16, 32, 64),
        strides=((1, 2, 2), 2, 2)),
    loss_context=dict(
        type='MIInfoNCELoss', temperature=0.1, negatives_per_video=3,
        mode='mi_infonce'),
    stage='joint',
    sigma_p=0.75,
    sigma_c=0.75,
    data_preprocessor={{_base_.data_preprocessor}})
