# Runtime shared by every mmssl config.
default_scope = 'mmssl'

default_hooks = dict(
    runtime_info=dict(type='RuntimeInfoHook'),
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=10, ignore_last=False),
    # schedules follow the current config (e.g. a larger max_epochs) on
    # --resume (mmssl/engine/hooks/resumable_param_scheduler_hook.py)
    param_scheduler=dict(type='ResumableParamSchedulerHook'),
    # 'atomic_local' (mmssl/utils/atomic_file_backend.py): temporary file +
    # rename, so a kill during a save never leaves a truncated epoch_N.pth
    checkpoint=dict(
        type='CheckpointHook',
        interval=1,
        max_keep_ckpts=3,
        save_last=True,
        backend_args=dict(backend='atomic_local')),
    # sets the sampler epoch like DistSamplerSeedHook, and seeds draws from
    # (seed, epoch, sample) / (seed, iteration) for exact resume
    # (mmssl/engine/hooks/exact_resume_hook.py)
    sampler_seed=dict(type='ExactResumeHook'),
    sync_buffers=dict(type='SyncBuffersHook'),
    # per-epoch count + list of skipped videos (on_error='skip'); stops the
    # run above max_skip_fraction (docs/reliability.md)
    skip_accounting=dict(type='SkipAccountingHook', max_skip_fraction=0.1))

env_cfg = dict(
    cudnn_benchmark=False,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    # NCCL on GPUs; tools/train.py switches to gloo when CUDA is absent.
    dist_cfg=dict(backend='nccl'))

log_processor = dict(type='LogProcessor', window_size=10, by_epoch=True)

# JSON scalars (work_dir/<timestamp>/vis_data/scalars.json) and TensorBoard.
vis_backends = [
    dict(type='LocalVisBackend'),
    dict(type='TensorboardVisBackend')
]
visualizer = dict(type='Visualizer', vis_backends=vis_backends)

log_level = 'INFO'
load_from = None
resume = False
