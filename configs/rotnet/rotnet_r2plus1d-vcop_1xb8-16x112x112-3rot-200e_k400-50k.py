# RotNet-3D, task complexity C2 of the benchmark study (Sec. 4.2): 3 angles.
# The study does not list the angle sets; {0, 90, 180} is C1's {0, 180} plus
# one quarter turn (nested sets, docs/methods/rotnet.md).
_base_ = ['./rotnet_r2plus1d-vcop_1xb8-16x112x112-4rot-200e_k400-50k.py']

angles = (0, 90, 180)
model = dict(angles=angles, head=dict(num_classes=3))
