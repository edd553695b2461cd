"""Multi-clip samplers, decoding, augmentation and packing transforms."""
