# STCLR tiny on residual frames (frame differences of the normalised clips,
# Tao et al. 2020): the SpeedLoc pretext and both contrastive losses see motion
# only. Compare with stclr_r3d-tiny_1xb8-8x32x32-13clips-30e_synthmotion.py.
_base_ = ['./stclr_r3d-tiny_1xb8-8x32x32-13clips-30e_synthmotion.py']

model = dict(data_preprocessor=dict(type='ResidualFramesPreprocessor'))
