# CSVR at the paper's scale (Sec. IV-B): V-Network R(2+1)D-18 (MMAction2
# ResNet2Plus1d, 512-d; the ablation and default backbone), I-Network R2D-10,
# two-layer MLP heads g^V / g^I to 128-d (width not given: 512 hidden),
# 1D-CNN pose CGAN with a six-layer encoder (Table III's "Layer 6"), video
# TGANs generating 16x112x112 clips (seed 2x7x7 -> 16x56x56 -> resized; Fig. 1
# names an R3D-based TGAN v2; widths are ours) with R3D-style discriminators.
# Swap `backbone` (and video_neck.in_channels) for C3D / R3D / S3D: the
# csvr-joint_{c3d,r3d-18,s3d}_* configs.
_base_ = [
    '../../_base_/models/backbones/r2plus1d_18.py',
    '../../_base_/models/tclr_family_r3d_tiny.py'
]
csvr_frames = 16
csvr_embed_dim = 128
model = dict(
    type='CSVR',
    backbone={{_base_.backbone}},
    video_neck=dict(
        type='MLPProjectionNeck', in_channels=512, hidden_channels=512,
        num_hidden_layers=1, out_channels=csvr_embed_dim),
    iframe_backbone=dict(type='ResNet2D10'),
    iframe_neck=dict(
        type='MLPProjectionNeck', in_channels=512, hidden_channels=512,
        num_hidden_layers=1, out_channels=csvr_embed_dim),
    pose_generator=dict(
        type='PoseGenerator1D', num_joints=17, out_frames=csvr_frames,
        noise_dim=16),
    pose_discriminator=dict(type='PoseDiscriminator1D', num_joints=17),
    dynamic_neck=dict(
        type='DynamicFeatureNeck', in_channels=256, hidden_channels=256,
        out_channels=csvr_embed_dim),
    integration=dict(
        type='CSVRIntegration', channels=csvr_embed_dim, mode='full'),
    video_generator=dict(
        type='ConditionalVideoGenerator', cond_channels=csvr_embed_dim,
        out_shape=(csvr_frames, 112, 112), noise_dim=64,
        channels=(256, 128, 64, 32), seed_shape=(2, 7, 7)),
    video_discriminator=dict(type='VideoDiscriminator3D'),
    loss_context=dict(
        type='MIInfoNCELoss', temperature=0.1, negatives_per_video=3,
        mode='mi_infonce'),
    stage='joint',
    sigma_p=0.75,  # Eq. 9, Sec. IV-C / Fig. 3
    sigma_c=0.75,
    data_preprocessor={{_base_.data_preprocessor}})
