# Per-clip augmentations of the TCLR family (docs/transforms.md, "TCLR /
# STCLR" recipe). Each clip, including each augmented twin, gets its own
# draw, shared by all of its frames (PerClipTransform).
#
# TCLR's augmentations (STCLR Sec. 4.2.2): colour jitter, horizontal flip,
# random cut-out, random grayscale, channel dropping, random cropping and
# random scaling; strengths from TCLR's released data loader. Wrap these
# lists in dict(type='PerClipTransform', transforms=...).


def _tclr_clip_aug(size, area_range):
    return [
        # random crop + random scaling: a square of side U(0.6, 1) * short
        # side, resized to the clip size. As an area fraction: (0.36, 1) of
        # a square frame, about (0.27, 0.75) of a 128x171 frame.
        dict(type='RandomResizedCrop', area_range=area_range,
             aspect_ratio_range=(1.0, 1.0)),
        dict(type='Resize', scale=(size, size), keep_ratio=False),
        dict(type='ClipColorJitter', brightness=0, contrast=0.25,
             saturation=0, hue=0, p=0.25),
        dict(type='ClipColorJitter', brightness=0, contrast=0,
             saturation=0, hue=0.1, p=0.3),
        dict(type='ClipColorJitter', brightness=0, contrast=0,
             saturation=0.25, hue=0, p=0.3),
        dict(type='ClipColorJitter', brightness=0.25, contrast=0,
             saturation=0, hue=0, p=0.3),
        dict(type='RandomApply', prob=0.3, transforms=[
            dict(type='RandomChoice', prob=[0.5833, 0.4167], transforms=[
                [dict(type='ClipGrayscale', p=1.0),
                 dict(type='ClipGamma', gamma=(0.75, 1.25), p=0.75)],
                [dict(type='ClipChannelDrop', p=1.0)]])]),
        dict(type='Flip', flip_ratio=0.5),
        dict(type='ClipCutout', scale=(0.0065, 0.026), ratio=(0.5, 2.0),
             p=0.5),
    ]


# Same Speed Localization pretext augmentations (STCLR Sec. 4.2.1):
# random-sized crop, horizontal flip, Gaussian blur, grayscale, colour
# jitter; no strengths are given, SimCLR's are used.
def _speedloc_clip_aug(size):
    return [
        dict(type='RandomResizedCrop', area_range=(0.3, 1.0),
             aspect_ratio_range=(0.75, 1.333)),
        dict(type='Resize', scale=(size, size), keep_ratio=False),
        dict(type='Flip', flip_ratio=0.5),
        dict(type='ClipGaussianBlur', sigma=(0.1, 2.0), p=0.5),
        dict(type='ClipGrayscale', p=0.2),
        dict(type='ClipColorJitter', brightness=0.4, contrast=0.4,
             saturation=0.4, hue=0.1, p=0.8),
    ]


tclr_clip_aug_112 = _tclr_clip_aug(112, (0.27, 0.75))  # 128x171 frames
tclr_clip_aug_32 = _tclr_clip_aug(32, (0.36, 1.0))  # square frames
speedloc_clip_aug_128 = _speedloc_clip_aug(128)
speedloc_clip_aug_32 = _speedloc_clip_aug(32)
