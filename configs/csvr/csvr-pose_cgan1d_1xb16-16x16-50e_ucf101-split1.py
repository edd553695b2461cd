# CSVR stage 1a (Sec. IV-B "Pretraining"): the pose CGAN alone (Eq. 1) on
# UCF101 split 1 poses (16 observed -> 16 future frames at stride 4), batch
# 16, SGD lr 0.0005 x 16, wd 0.005, momentum 0.9. Epochs not given: 50.
_base_ = ['./_base_/csvr_ucf101_stage.py']
model = dict(stage='pose')
train_cfg = dict(max_epochs=50)
