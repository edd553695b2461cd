"""Generative modules (view synthesisers, pose/video generators and their
discriminators) used by the generative pretext tasks."""
__all__ = []
