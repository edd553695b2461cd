# RotNet-3D tiny, task complexity C2: angles {0, 90, 180}.
_base_ = ['./rotnet_r3d-tiny_1xb8-8x32x32-4rot-40e_synthmotion.py']

angles = (0, 90, 180)
model = dict(angles=angles, head=dict(num_classes=3))
