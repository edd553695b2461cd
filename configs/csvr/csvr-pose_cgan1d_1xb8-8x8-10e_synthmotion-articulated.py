# CSVR stage 1a, tiny CPU: the pose CGAN alone (Eq. 1) on the exact joints of
# articulated SynthMotion (8 observed -> 8 future poses). Paper setting:
# csvr-pose_cgan1d_1xb16-16x16-50e_ucf101-split1.py.
_base_ = ['./_base_/csvr_tiny_stage.py']
model = dict(stage='pose')
