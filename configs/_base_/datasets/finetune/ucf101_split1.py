# UCF101 split 1 (101 classes) for fine-tuning, MMAction2's layout
# (docs/datasets): videos under data/ucf101/videos/<Class>/<name>.avi and
# '<Class>/<name>.avi <label>' lists built from the official split files.
# Merged into a recipe's dataloaders by the configs in
# configs/benchmarks/finetune/ (docs/protocols/finetune.md).
num_classes = 101
data_root = 'data/ucf101'
train_data = dict(
    ann_file=f'{data_root}/ucf101_train_split_1_videos.txt',
    data_prefix=dict(video=f'{data_root}/videos'))
val_data = dict(
    ann_file=f'{data_root}/ucf101_val_split_1_videos.txt',
    data_prefix=dict(video=f'{data_root}/videos'))
