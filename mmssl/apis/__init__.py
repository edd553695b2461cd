"""High-level Python API: :func:`init_model`, :func:`extract_features`."""
from .inference import extract_features, init_model, iter_video_embeddings

__all__ = ['init_model', 'extract_features', 'iter_video_embeddings']
