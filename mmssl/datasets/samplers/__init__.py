"""Data samplers."""
from .sample_seeded_sampler import SampleSeededSampler

__all__ = ['SampleSeededSampler']
