# R(2+1)D-18 exactly as released by CtP (Wang et al., CVPR 2021;
# microsoft/CtP, the pyvrl code base, pyvrl/models/backbones/r3d.py
# R2Plus1D, configs/ctp/r2plus1d_18_*/pretraining.py): stem = (1, 7, 7)
# conv stride (1, 2, 2) to a fixed 45 channels, BN, ReLU, (3, 1, 1) conv to
# 64, BN, ReLU, no max-pool; every block conv factorised with the
# parameter-matching middle width; shortcuts are plain 1x1x1 convs + BN
# (not factorised); stages 2-3 halve T, H, W and stage 4 halves T only
# (down_sampling=[F, T, T, F], down_sampling_temporal=[F, T, T, T]); BN eps
# 1e-3. Output 512 x T/8 x H/8 x W/8 (2x14x14 at 16x112x112, what CtP's
# head reads). Target of tools/model_converters/convert_checkpoint.py
# ctp-r2plus1d18.
backbone = dict(
    type='R2Plus1DVCOP',
    layer_sizes=(2, 2, 2, 2),
    stem_mid_channels=45,
    shortcut='conv',
    spatial_strides=(1, 2, 2, 1),
    temporal_strides=(1, 2, 2, 2),
    norm_cfg=dict(type='BN3d', requires_grad=True, eps=1e-3))
# CtP fine-tunes (configs/recognizers/_base_/model_r2plus1d18.py, which
# inherits model_r3d18.py's down_sampling=[F, T, T, T]) with stage 4
# halving H, W too: same keys and shapes; use this one
# (--backbone-config .../r2plus1d_18_ctp.py:finetune_backbone) for a
# checkpoint of CtP's fine-tuned recognizer, or to fine-tune as the authors
# did.
finetune_backbone = dict(backbone, spatial_strides=(1, 2, 2, 2))
