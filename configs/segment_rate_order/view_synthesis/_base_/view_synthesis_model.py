# View-synthesis module of the segment sampling-rate / order method
# (III-G, Fig. 3) at the paper's 3x16x112x112 input: model and the two
# optimizers, shared by the pretraining configs of this folder.
model = dict(
    type='ViewSynthesisPretrain',
    # 3x16x112x112 -> latent 16x4x14x14 -> 3x16x112x112
    generator=dict(type='ViewSynthesisVAE'),
    flow_estimator=dict(type='FlowEstimator'),
    # f of the info-min loss: a frozen, randomly initialised R3D-18 (global
    # average pool); the paper's "feature extractor" is unspecified
    feature_extractor=dict(
        type='ResNet3d',
        depth=18,
        pretrained=None,
        pretrained2d=False,
        conv1_kernel=(3, 7, 7),
        conv1_stride_t=1,
        pool1_stride_t=1,
        inflate=(1, 1, 1, 1),
        norm_eval=False),
    # Eq. 16 sums the terms without weights; no reconstruction term in the
    # paper (recon=0)
    loss_weights=dict(kl=1.0, info_max=1.0, info_min=1.0, recon=0.0),
    charbonnier_eps=1e-3,
    # the normalisation of the SSL stage, so G works in the same space
    data_preprocessor=dict(
        type='ActionDataPreprocessor',
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        format_shape='NCTHW'))

# One optimizer per module (MMEngine OptimWrapperDict); Adam, lr 1e-4, no
# schedule (our choice; the paper only says O has its own optimizer).
optim_wrapper = dict(
    constructor='PerModuleOptimWrapperConstructor',
    generator=dict(type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4)),
    flow_estimator=dict(
        type='OptimWrapper', optimizer=dict(type='Adam', lr=1e-4)))
param_scheduler = []
