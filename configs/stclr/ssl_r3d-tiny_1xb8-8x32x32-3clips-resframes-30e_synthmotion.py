# Same Speed Localization pretext alone, tiny, on residual frames (frame
# differences of the normalised clips, Tao et al. 2020). Measured: it does
# not learn on SynthMotion either (loss stays at ln 4; also with same-video
# tuples only, Adam and 60 epochs): SynthMotion's accelerating motion makes
# a clip's apparent speed depend on where it starts, not only on its skip
# rate (docs/methods/tclr_family.md).
_base_ = ['./ssl_r3d-tiny_1xb8-8x32x32-3clips-30e_synthmotion.py']

model = dict(data_preprocessor=dict(type='ResidualFramesPreprocessor'))
