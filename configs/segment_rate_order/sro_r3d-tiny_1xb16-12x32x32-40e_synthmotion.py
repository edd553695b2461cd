# The tiny SynthMotion config on RGB input instead of residual frames (the
# ActionDataPreprocessor normalisation only); the base of the tiny
# view-synthesis variant, whose synthesiser works on RGB clips.
_base_ = ['./sro_r3d-tiny_1xb16-12x32x32-resframes-40e_synthmotion.py']

model = dict(
    data_preprocessor=dict(
        _delete_=True,
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))
