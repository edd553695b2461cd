# CSVR stage 1b, tiny CPU: the video generating branch alone (Eq. 6-8):
# reconstructor and predictor TGANs conditioned on f_i = integration(f_s,
# f_d); the V-Network and g^V give f_s, the pose generator (frozen, loaded
# from the pose stage) gives f_d. Run the pose stage first (docs/methods/csvr.md).
_base_ = ['./_base_/csvr_tiny_stage.py']
model = dict(
    stage='video',
    stage_checkpoints=dict(
        pose='work_dirs/csvr_tiny_pose/epoch_10.pth'))
train_cfg = dict(max_epochs=5)
