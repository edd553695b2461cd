# The tiny benchmark grid (docs/benchmarks/grid.md): the study's three
# non-contrastive pretext tasks with their complexity levels (Kumar et al.,
# Sec. 4.2: RotNet 2 -> 4 angles, VCOP 3 -> 5 clips, PRP 2 -> 4 rates) x two
# small backbones x two seeds, pretrained for a few epochs on the
# RGB-rankable SynthMotion variant and evaluated by retrieval, k-NN and a
# linear probe. CPU minutes per cell; the numbers rank the tooling, not the
# methods (see the page). Run with:
#   python tools/benchmark/grid.py tools/benchmark/grids/tiny_synthmotion_rgb.py \
#       --work-dir work_dirs/grid_tiny --out-dir docs/benchmarks/grid_tiny
name = 'tiny grid on SynthMotion-RGB'
data_root = 'data/synthmotion_rgb'  # every config path re-rooted here

tasks = dict(
    rotnet=dict(
        category='S',
        levels=dict(
            C1='configs/rotnet/rotnet_r3d-tiny_1xb8-8x32x32-2rot-40e_'
            'synthmotion.py',
            C3='configs/rotnet/rotnet_r3d-tiny_1xb8-8x32x32-4rot-40e_'
            'synthmotion.py')),
    vcop=dict(
        category='T',
        levels=dict(
            C1='configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_'
            'synthmotion.py',
            C3='configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-5clips-40e_'
            'synthmotion.py')),
    prp=dict(
        category='T',
        levels=dict(
            C1='configs/prp/prp_r3d-tiny_1xb8-6x32x32-2rates-40e_'
            'synthmotion.py',
            C3='configs/prp/prp_r3d-tiny_1xb8-6x32x32-4rates-40e_'
            'synthmotion.py')),
)

# None: the level config's own backbone (the tiny R3D of
# configs/_base_/models/vcop_r3d_tiny.py); r21d-tiny: the same widths
# (16-128 channels, one block per stage) with (2+1)D convolutions.
backbones = {
    'r3d-tiny': None,
    'r21d-tiny': dict(
        type='ResNet2Plus1d',
        depth=18,
        stage_blocks=(1, 1, 1, 1),
        base_channels=16,
        pretrained=None,
        pretrained2d=False,
        conv_cfg=dict(type='Conv2plus1d'),
        conv1_kernel=(3, 7, 7),
        conv1_stride_t=1,
        pool1_stride_t=1,
        inflate=(1, 1, 1, 1),
        norm_eval=False),
}
subsets = None  # the whole training list (add sizes=dict(half=192, ...))
protocols = ['retrieval', 'knn', 'linear']
seeds = [0, 1]

cfg_options = dict(
    train_cfg=dict(max_epochs=2),
    default_hooks=dict(checkpoint=dict(interval=2, max_keep_ckpts=1)),
    custom_hooks=[],  # no representation monitor: the grid evaluates after
    train_dataloader=dict(
        num_workers=1, dataset=dict(generate_if_missing='rgb')),
    test_dataloader=dict(num_workers=1, persistent_workers=False))
