# Table VI, row 5, tiny CPU setting: the RGB tiny config plus
# view-synthesised keys (III-G): with probability 0.5 a sample's key is
# G.synthesize(query) from the tiny ViewSynthesisVAE pre-trained by
# view_synthesis/view-synthesis_vae-tiny-flow_1xb8-8x32x32-20e_synthmotion.py
# (train it first with --work-dir work_dirs/view_synthesis_synthmotion, or
# point view_synthesis_checkpoint at your checkpoint). RGB input: the
# synthesiser was trained on normalised RGB clips, not residual frames.
_base_ = ['./sro_r3d-tiny_1xb16-12x32x32-40e_synthmotion.py']

view_synthesis_checkpoint = 'work_dirs/view_synthesis_synthmotion/epoch_20.pth'
model = dict(
    view_synthesizer=dict(
        type='ViewSynthesisVAE',
        base_channels=16,
        latent_channels=8,
        init_cfg=dict(
            type='Pretrained',
            checkpoint=view_synthesis_checkpoint,
            prefix='generator.')),
    synth_key_prob=0.5)
