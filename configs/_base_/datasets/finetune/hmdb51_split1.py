# HMDB51 split 1 (51 classes) for fine-tuning, MMAction2's layout
# (docs/datasets): videos under data/hmdb51/videos/<class>/<name>.avi and
# '<class>/<name>.avi <label>' lists built from the official split files.
# Merged into a recipe's dataloaders by the configs in
# configs/benchmarks/finetune/ (docs/protocols/finetune.md).
num_classes = 51
data_root = 'data/hmdb51'
train_data = dict(
    ann_file=f'{data_root}/hmdb51_train_split_1_videos.txt',
    data_prefix=dict(video=f'{data_root}/videos'))
val_data = dict(
    ann_file=f'{data_root}/hmdb51_val_split_1_videos.txt',
    data_prefix=dict(video=f'{data_root}/videos'))
