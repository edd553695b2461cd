# Data-distribution analysis (Kumar et al., "A Large-Scale Analysis on
# Contextual Self-Supervised Video Representation Learning", Sec. 4.3, Fig. 3):
# the K400-50k recipe ../../cvrl/cvrl_r2plus1d-vcop_8xb64-16x112x112-2clips-200e_k400-50k.py
# pretrained on Something-Something V2 instead (temporal source data; the
# full train list, 168,913 videos, labels unused; the study does not say
# whether it took a subset). Model, augmentation, schedule and the UCF101
# retrieval protocol are the K400 recipe's. Fine-tune with the study's
# recipe on Diving48 / UCF101 / HMDB51 (configs/benchmarks/finetune/
# study-ft_r2plus1d-vcop_*). docs/analysis/data_distribution.md.
# SSv2 clips are short (12 fps, 2-6 s); this method's sampler needs 16
# frames, which typical SSv2 videos have; a shorter one stops the run with
# VideoTooShortError naming it (set the sampler's on_error='skip' as the
# VCOP / RSPNet SSv2 configs do to skip and count such videos instead).
_base_ = ['../../cvrl/cvrl_r2plus1d-vcop_8xb64-16x112x112-2clips-200e_k400-50k.py']

data_root = 'data/sthv2/videos'
ann_file_train = 'data/sthv2/sthv2_train_list_videos.txt'
train_dataloader = dict(
    dataset=dict(ann_file=ann_file_train, data_prefix=dict(video=data_root)))
