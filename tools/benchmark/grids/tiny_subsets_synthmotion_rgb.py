# The dataset-size axis of the tiny grid (docs/benchmarks/grid.md; Kumar et
# al., Sec. 4.1): VCOP C1 on the tiny R3D, pretrained on class-balanced
# nested subsets of SynthMotion-RGB's 384 training videos (96 within 192
# within all), otherwise as tiny_synthmotion_rgb.py. Run with:
#   python tools/benchmark/grid.py tools/benchmark/grids/tiny_subsets_synthmotion_rgb.py \
#       --work-dir work_dirs/grid_tiny_subsets --out-dir docs/benchmarks/grid_tiny_subsets
_base_ = ['./tiny_synthmotion_rgb.py']

name = 'tiny subset grid on SynthMotion-RGB'
tasks = dict(
    _delete_=True,
    vcop=dict(
        category='T',
        levels=dict(
            C1='configs/vcop/vcop_r3d-tiny_1xb8-8x32x32-3clips-40e_'
            'synthmotion.py')))
backbones = {'_delete_': True, 'r3d-tiny': None}
subsets = dict(_delete_=True, sizes=dict(q=96, half=192, full=None), seed=0)
seeds = [0]
