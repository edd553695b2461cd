# RotNet-3D, task complexity C1 of the benchmark study (Sec. 4.2): 2 angles.
# The study does not list the angle sets; {0, 180} (upright vs upside down)
# needs no square frames (docs/methods/rotnet.md).
_base_ = ['./rotnet_r2plus1d-vcop_1xb8-16x112x112-4rot-200e_k400-50k.py']

angles = (0, 180)
model = dict(angles=angles, head=dict(num_classes=2))
