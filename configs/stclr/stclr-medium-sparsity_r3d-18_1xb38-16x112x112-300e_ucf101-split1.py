# STCLR with the "medium" sparsity preset of Sec. 4.2.3 (Altabrawee & Mohd
# Noor, Neurocomputing; Figs. 5-7): local skip rates low (1, 2, 3, 4, 5),
# medium (2, 4, 6, 8, 10) or high (4, 8, 12, 16, 20); otherwise the default
# STCLR settings, pretrained for 300 epochs.
_base_ = ['./stclr_r3d-18_1xb38-16x112x112-400e_ucf101-split1.py']

train_pipeline = [
    dict(type='SafeDecordInit'),
    dict(
        type='STCLRSampleClips',
        clip_len=16,
        skip_rates='medium',
        instance_source='local',
        speedloc_num_clips=3,
        speedloc_speeds=16,
        speedloc_same_prob=0.75,
        speedloc_none_prob=0.25,
        # UCF101 holds a few videos shorter than this layout's min_frames:
        # they are skipped and counted (SkipAccountingHook stops the run
        # above 10 %), like TCLR's released loader drops short videos.
        on_error='skip'),
    dict(type='DecordDecodeUnion'),
    dict(type='Resize', scale=(171, 128), keep_ratio=False),
    dict(type='PerClipTransform', transforms={{_base_.tclr_clip_aug_112}}),
    dict(type='FormatShape', input_format='NCTHW'),
    dict(type='PackSSLInputs', target_keys=('speedloc_speeds', 'speedloc_label'))
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
train_cfg = dict(max_epochs=300, val_interval=300)
