# The grid's robustness protocol on one tiny cell (docs/benchmarks/grid.md;
# Kumar et al., Sec. 4.4): VCOP C1 on the tiny R3D, pretrained as in
# tiny_synthmotion_rgb.py, fine-tuned for 10 epochs by evaluate.py's
# `finetune` protocol, and that classifier scored on the val set under the
# four ImageNet-C noises at severities 1, 3 and 5. Run with:
#   python tools/benchmark/grid.py tools/benchmark/grids/tiny_robustness_synthmotion_rgb.py \
#       --work-dir work_dirs/grid_tiny_robustness --out-dir docs/benchmarks/grid_tiny_robustness
_base_ = ['./tiny_subsets_synthmotion_rgb.py']  # VCOP C1, tiny R3D, seed 0

name = 'tiny robustness cell on SynthMotion-RGB'
subsets = None  # the whole training list
# robustness scores the classifier the finetune protocol leaves behind
protocols = ['finetune', 'robustness']
protocol_options = dict(
    robustness=dict(
        noises=['gaussian', 'shot', 'impulse', 'speckle'],
        severities=[1, 3, 5]))
finetune_cfg_options = [
    'train_cfg.max_epochs=10', 'train_cfg.val_interval=10',
    'default_hooks.checkpoint.interval=10',
    'train_dataloader.num_workers=1', 'val_dataloader.num_workers=1',
    'test_dataloader.num_workers=1'
]
