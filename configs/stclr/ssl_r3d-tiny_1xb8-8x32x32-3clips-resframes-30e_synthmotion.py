# Same Speed Localization pretext alone, tiny, on residual frames (frame
# differences of the normalised clips, Tao et al. 2020). On RGB input the
# tiny R3D does not learn the pretext on SynthMotion (docs/methods/tclr_family.md).
_base_ = ['./ssl_r3d-tiny_1xb8-8x32x32-3clips-30e_synthmotion.py']

model = dict(data_preprocessor=dict(type='ResidualFramesPreprocessor'))
