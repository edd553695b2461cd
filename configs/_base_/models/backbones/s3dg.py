# S3D-G (Xie et al., ECCV 2018), TF-Slim layout. 9.13M params (7.90M with
# gating=False, i.e. S3D), 4.05 GMACs at 16x112x112; output 1024 x T/8 x
# H/32 x W/32.
backbone = dict(type='S3DG', gating=True, first_temporal_kernel_size=3)
