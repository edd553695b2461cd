# VCOP tiny on residual frames: the 3-clip tiny config with the backbone fed
# frame differences x[t+1] - x[t] of the normalised clips (Tao et al. 2020,
# "Rethinking Motion Representation: Residual Frames with 3D ConvNets").
# On SynthMotion the RGB-input tiny R3D does not learn clip order (it
# memorises appearance, docs/methods/vcop.md); on residual frames it does.
# 8-frame clips give 7 residual frames. Retrieval with this config feeds the
# backbone residual frames too (the model owns the preprocessor).
_base_ = ['./vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_synthmotion.py']

model = dict(data_preprocessor=dict(type='ResidualFramesPreprocessor'))
