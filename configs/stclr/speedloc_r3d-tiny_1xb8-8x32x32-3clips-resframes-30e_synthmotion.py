# Same Speed Localization pretext alone, tiny, on residual frames (frame
# differences of the normalised clips, Tao et al. 2020). Measured: it does
# not learn on the standard SynthMotion either (loss stays at ln 4; also
# with same-video tuples only, Adam and 60 epochs): accelerating motion and
# independent per-clip random scaling hide the speed cue. See
# speedloc_r3d-tiny_1xb8-8x32x32-3clips-resframes-tupleaug-60e_synthmotion-constant.py
# for the setting in which it learns (docs/methods/tclr_family.md).
_base_ = ['./speedloc_r3d-tiny_1xb8-8x32x32-3clips-30e_synthmotion.py']

model = dict(data_preprocessor=dict(type='ResidualFramesPreprocessor'))
