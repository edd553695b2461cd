# Segment sample-rate order prediction, full method (order + rate + MoCo
# contrast with shuffle similarity + view-synthesised keys), paper setting
# (IV-D) on UCF101 split 1 with R(2+1)D. The backbone is VCOP's R(2+1)D
# (configs/_base_/models/backbones/r2plus1d_vcop.py): the paper's Table VIII
# gives 21.5 GFLOPs for it, the 21.44 GMACs of VCOP's R2Plus1DNet((1,1,1,1))
# at 16x112x112 (likewise C3D 38.6 and R3D 19.9). The ablations of Tables
# III-VI start from this config (ablations/).
_base_ = ['./_base_/sro_ucf101.py']

# III-G, Fig. 2a: half of the keys are a synthesised view of the query, from
# the ViewSynthesisVAE pre-trained by configs/segment_rate_order/
# view_synthesis/ (docs/methods/segment_rate_order_view_synthesis.md),
# frozen during SSL and loaded from that run's checkpoint (the VAE is stored
# there as `generator.*`). Train it first, or point this at your checkpoint.
view_synthesis_checkpoint = 'work_dirs/view_synthesis_ucf101/epoch_100.pth'
model = dict(
    backbone=dict(type='R2Plus1DVCOP', layer_sizes=(1, 1, 1, 1)),
    view_synthesizer=dict(
        type='ViewSynthesisVAE',
        init_cfg=dict(
            type='Pretrained',
            checkpoint=view_synthesis_checkpoint,
            prefix='generator.')),
    synth_key_prob=0.5)
