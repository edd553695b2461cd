# VCOP tiny at 5 clips on residual frames (frame differences of the
# normalised clips; see vcop_r3d-tiny_1xb8-8x32x32-3clips-resframes-40e_synthmotion.py).
_base_ = ['./vcop_r3d-tiny_1xb8-8x32x32-5clips-40e_synthmotion.py']

model = dict(data_preprocessor=dict(type='ResidualFramesPreprocessor'))
