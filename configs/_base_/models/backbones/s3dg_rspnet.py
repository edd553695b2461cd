# S3D-G exactly as released by RSPNet (Chen et al., AAAI 2021;
# PeihaoChen/RSPNet models/s3dg.py, arch s3dg): a PyTorch port with a
# separable 7x7x7 conv1 (its 1x7x7 conv strides T, H and W by 2), gating
# after every separable conv (not on every Inception branch) and a last
# max-pool that rounds down. Use it to reproduce a converted RSPNet S3D-G
# checkpoint exactly (tools/model_converters/convert_checkpoint.py
# rspnet-s3dg); the TF-Slim layout is s3dg.py. RSPNet's BN momentum is
# 0.001 (PyTorch convention), BN eps 1e-3 as here. Output 1024 x T/8 x
# H/32 x W/32 (rounded down at the last pool): at least 8x32x32 input.
backbone = dict(
    type='S3DG', gating=True, first_temporal_kernel_size=7, layout='rspnet')
