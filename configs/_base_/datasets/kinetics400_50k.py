# Kinetics-400 "K400-50k": the class-balanced 50k-video subset (125 videos per
# class) of the K400 training set, the default pretraining set of the benchmark
# study (Kumar et al., "A Large-Scale Analysis on Contextual Self-Supervised
# Video Representation Learning", supp. C.4: "Unless otherwise stated,
# pre-training is done on K400-50k subset"; Sec. 4.1: nested 10k/30k/50k/100k
# subsets with equal videos per class).
# MMAction2 layout (MMAction2's tools/data/kinetics):
#   data/kinetics400/videos_train/<class>/<youtube_id>_<start>_<end>.mp4
#   data/kinetics400/kinetics400_train_list_videos.txt  ('<path> <label>')
# kinetics400_train_50k_list_videos.txt is a 125-per-class subset of that list
# (the study does not publish its list; tools/data/kinetics400/build_lists.py
# --subsets 10k,30k,50k,100k draws seeded, nested, class-balanced ones).
# Pretraining ignores the labels. The retrieval test loader (UCF101 split 1:
# train videos as gallery, test videos as queries, study Sec. 5 "Clip
# retrieval") is inherited from ucf101_split1.py.
_base_ = ['./ucf101_split1.py']

data_root = 'data/kinetics400/videos_train'
ann_file_train = 'data/kinetics400/kinetics400_train_50k_list_videos.txt'
