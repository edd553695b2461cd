# Diving48 V2 (48 classes) for fine-tuning, MMAction2's layout
# (docs/datasets): videos data/diving48/videos/<vid_name>.mp4 and
# '<vid_name>.mp4 <label>' lists from the official V2 json files. Its classes
# differ in long-range motion (take-off, flight, entry), not appearance.
# Merged into a recipe's dataloaders by the configs in
# configs/benchmarks/finetune/ (docs/protocols/finetune.md).
num_classes = 48
data_root = 'data/diving48'
train_data = dict(
    ann_file=f'{data_root}/diving48_train_list_videos.txt',
    data_prefix=dict(video=f'{data_root}/videos'))
val_data = dict(
    ann_file=f'{data_root}/diving48_val_list_videos.txt',
    data_prefix=dict(video=f'{data_root}/videos'))
