# Kinetics-400 "K400-10k": the class-balanced 10k-video subset (25 videos per
# class) of the K400 training set, one of the nested pretraining subsets of
# the benchmark study's dataset-size analysis (Kumar et al., "A Large-Scale
# Analysis on Contextual Self-Supervised Video Representation Learning",
# Sec. 4.1: 10k within 30k within 50k within 100k, equal videos per class).
# Same layout and retrieval protocol as ./kinetics400_50k.py; only the train
# list differs. Draw the nested lists with
#   python tools/data/make_subsets.py \
#       data/kinetics400/kinetics400_train_list_videos.txt \
#       --sizes 10k 30k 50k 100k --seed 0
# (or tools/data/kinetics400/build_lists.py --subsets 10k,30k,50k,100k; both
# draw the same lists for the same seed). docs/analysis/dataset_size.md.
_base_ = ['./kinetics400_50k.py']

ann_file_train = 'data/kinetics400/kinetics400_train_10k_list_videos.txt'
