# CSVR context matching branch alone (Eq. 2; Table I "f_s only"), tiny CPU:
# V-Network (tiny R3D) + g^V against R2D-10 + g^I on K = 4 I-frames,
# MI-InfoNCE with 3 negative I-frames per other video.
_base_ = ['./_base_/csvr_tiny_stage.py']
model = dict(stage='context')
