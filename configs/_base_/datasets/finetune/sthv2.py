# Something-Something V2 (174 classes) for fine-tuning, MMAction2's layout
# (docs/datasets): videos data/sthv2/videos/<id>.webm and '<id>.webm <label>'
# lists from the official json files. Several classes name a direction
# ("... from left to right"): horizontal flips in a recipe's train pipeline
# and the flipped views of TenCrop change their meaning
# (docs/protocols/finetune.md, "Deviations").
# Merged into a recipe's dataloaders by the configs in
# configs/benchmarks/finetune/ (docs/protocols/finetune.md).
num_classes = 174
data_root = 'data/sthv2'
train_data = dict(
    ann_file=f'{data_root}/sthv2_train_list_videos.txt',
    data_prefix=dict(video=f'{data_root}/videos'))
val_data = dict(
    ann_file=f'{data_root}/sthv2_val_list_videos.txt',
    data_prefix=dict(video=f'{data_root}/videos'))
