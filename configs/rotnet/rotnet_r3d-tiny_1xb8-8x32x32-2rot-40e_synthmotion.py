# RotNet-3D tiny, task complexity C1: angles {0, 180}.
_base_ = ['./rotnet_r3d-tiny_1xb8-8x32x32-4rot-40e_synthmotion.py']

angles = (0, 180)
model = dict(angles=angles, head=dict(num_classes=2))
