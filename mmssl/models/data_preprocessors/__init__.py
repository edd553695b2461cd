from .residual_frames import ResidualFramesPreprocessor

__all__ = ['ResidualFramesPreprocessor']
