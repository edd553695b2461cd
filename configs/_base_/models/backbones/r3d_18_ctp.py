# R3D-18 exactly as released by CtP (Wang et al., CVPR 2021; microsoft/CtP,
# the pyvrl code base, pyvrl/models/backbones/r3d.py, configs/ctp/
# r3d_18_*/pretraining.py): stem 3x7x7 stride (1, 2, 2) without max-pool,
# 3x3x3 convs, stages 2-3 halve T, H, W and stage 4 halves T only
# (down_sampling=[F, T, T, F], down_sampling_temporal=[F, T, T, T]), 1x1x1
# conv + BN shortcuts, BN eps 1e-3. Same parameters as r3d_18.py; output
# 512 x T/8 x H/8 x W/8 (2x14x14 at 16x112x112, what CtP's head reads).
# Target of tools/model_converters/convert_checkpoint.py ctp-r3d18.
backbone = dict(
    type='ResNet3d',
    depth=18,
    pretrained=None,
    pretrained2d=False,
    conv1_kernel=(3, 7, 7),
    conv1_stride_t=1,
    with_pool1=False,
    with_pool2=False,
    inflate=(1, 1, 1, 1),
    spatial_strides=(1, 2, 2, 1),
    temporal_strides=(1, 2, 2, 2),
    norm_cfg=dict(type='BN3d', requires_grad=True, eps=1e-3),
    zero_init_residual=False)
# CtP fine-tunes (configs/recognizers/_base_/model_r3d18.py) with stage 4
# halving H, W too (down_sampling=[F, T, T, T]): same keys and shapes, use
# this one (--backbone-config .../r3d_18_ctp.py:finetune_backbone) for a
# checkpoint of CtP's fine-tuned TSN recognizer, or to fine-tune as the
# authors did.
finetune_backbone = dict(backbone, spatial_strides=(1, 2, 2, 2))
