"""Label-independent appearance of a SynthMotion video: procedural textures
and the object's shape (drawn from the same distributions for every class)."""
import numpy as np

__all__ = ['HALF_SIZE_RANGE', 'BG_DRIFT_RANGE', 'MIN_COLOUR_DISTANCE',
           'SHAPES', 'Texture', 'shape_distance']

# Appearance ranges, as fractions of S = min(height, width).
HALF_SIZE_RANGE = (0.12, 0.20)  # object half-extent at the middle of the video
WAVELENGTH_RANGE = (0.08, 0.30)  # texture wavelengths
BG_DRIFT_RANGE = (0.0, 0.10)  # total background drift over the video
MIN_COLOUR_DISTANCE = 0.3  # object vs background mean colour, RGB in [0, 1]

SHAPES = ('circle', 'ellipse', 'square', 'rectangle', 'diamond', 'triangle',
          'cross', 'ring')
TEXTURES = ('noise', 'checker', 'stripes', 'rings')


def _random_colour(rng: np.random.Generator) -> np.ndarray:
    """Draw an RGB colour in [0, 1], shape (3, )."""
    return rng.uniform(0.0, 1.0, size=3)


class Texture:
    """A random procedural texture, evaluated at continuous coordinates.

    The texture is a scalar pattern in [0, 1] (smooth value noise, checker,
    stripes or concentric rings) blended between two random colours, so it can
    be sampled at sub-pixel positions and moves smoothly.

    Args:
        rng (np.random.Generator): Source of randomness.
        scale (float): Frame size S in pixels; wavelengths are drawn in
            ``WAVELENGTH_RANGE * scale``.
        contrast (float): Contrast of the two colours in (0, 1].
    """

    def __init__(self, rng: np.random.Generator, scale: float,
                 contrast: float = 1.0) -> None:
        self.kind = TEXTURES[rng.integers(len(TEXTURES))]
        self.wavelength = rng.uniform(*WAVELENGTH_RANGE) * scale
        self.angle = rng.uniform(0, np.pi)
        self.phase = rng.uniform(0, 2 * np.pi, size=2)
        # Sharpness: 1 gives a sinusoid, large values a hard-edged pattern.
        self.sharpness = rng.uniform(1.0, 6.0)
        # Value noise: a periodic random grid, one cell per wavelength.
        self.grid = rng.uniform(0.0, 1.0, size=(16, 16))
        # The two colours differ mostly in brightness and little in hue: like
        # natural images (and unlike saturated complementary stripes), the
        # fine detail is then in luma, which 4:2:0 video codecs keep at full
        # resolution.
        base = _random_colour(rng)
        delta = rng.uniform(0.3, 0.7) * rng.choice([-1.0, 1.0])
        chroma = rng.normal(0.0, 0.06, size=3)
        mean = np.clip(base, 0.5 * abs(delta), 1 - 0.5 * abs(delta))
        c0 = mean - 0.5 * (delta + chroma)
        c1 = mean + 0.5 * (delta + chroma)
        self.colours = (mean + contrast * (c0 - mean),
                        mean + contrast * (c1 - mean))
        self.mean_colour = mean

    def pattern(self, p: np.ndarray, q: np.ndarray) -> np.ndarray:
        """Evaluate the scalar pattern.

        Args:
            p (np.ndarray): x coordinates in pixels, any shape.
            q (np.ndarray): y coordinates in pixels, same shape as ``p``.

        Returns:
            np.ndarray: Pattern values in [0, 1], same shape as ``p``.
        """
        # Python floats keep the dtype of the coordinates (NEP 50).
        k = 2 * np.pi / self.wavelength
        ca, sa = float(np.cos(self.angle)) * k, float(np.sin(self.angle)) * k
        ph0, ph1 = float(self.phase[0]), float(self.phase[1])
        a = ca * p + sa * q + ph0
        b = ca * q - sa * p + ph1
        if self.kind == 'noise':
            return self._value_noise(a / (2 * np.pi), b / (2 * np.pi))
        if self.kind == 'checker':
            raw = np.sin(a) * np.sin(b) * 2
        elif self.kind == 'stripes':
            raw = np.sin(a)
        else:  # rings around the texture origin
            raw = np.sin(np.sqrt(a**2 + b**2) + ph0)
        sharp = float(self.sharpness)
        return 0.5 + (0.5 / float(np.tanh(sharp))) * np.tanh(sharp * raw)

    def _value_noise(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Bilinear (smoothstep-weighted) periodic value noise."""
        n = self.grid.shape[0]
        u0 = np.floor(u)
        v0 = np.floor(v)
        fu = u - u0
        fv = v - v0
        fu = fu * fu * (3 - 2 * fu)
        fv = fv * fv * (3 - 2 * fv)
        i0 = u0.astype(np.int64) % n
        j0 = v0.astype(np.int64) % n
        i1 = (i0 + 1) % n
        j1 = (j0 + 1) % n
        g = self.grid.astype(u.dtype)
        top = g[j0, i0] * (1 - fu) + g[j0, i1] * fu
        bottom = g[j1, i0] * (1 - fu) + g[j1, i1] * fu
        return top * (1 - fv) + bottom * fv

    def colour(self, p: np.ndarray, q: np.ndarray) -> np.ndarray:
        """Evaluate the coloured texture.

        Args:
            p (np.ndarray): x coordinates in pixels, shape (...).
            q (np.ndarray): y coordinates in pixels, shape (...).

        Returns:
            np.ndarray: RGB values in [0, 1], shape (..., 3).
        """
        t = self.pattern(p, q)[..., None]
        c0, c1 = (c.astype(t.dtype) for c in self.colours)
        return c0 + (c1 - c0) * t


def shape_distance(shape: str, u: np.ndarray, v: np.ndarray,
                   aspect: float) -> np.ndarray:
    """Signed distance-like function of a unit shape (< 0 inside).

    Args:
        shape (str): One of ``SHAPES``.
        u (np.ndarray): Object-frame x coordinates (unit = half-size).
        v (np.ndarray): Object-frame y coordinates, same shape as ``u``.
        aspect (float): Aspect ratio for ellipse / rectangle / cross.

    Returns:
        np.ndarray: Distance in half-size units, same shape as ``u``.
    """
    au, av = np.abs(u), np.abs(v)
    if shape == 'circle':
        return np.sqrt(u**2 + v**2) - 1
    if shape == 'ellipse':
        return np.sqrt((u / aspect)**2 + v**2) - 1
    if shape == 'square':
        return np.maximum(au, av) - 0.85
    if shape == 'rectangle':
        return np.maximum(au / aspect, av) - 0.85
    if shape == 'diamond':
        return (au + av - 1.15) * float(np.sqrt(0.5))
    if shape == 'triangle':  # equilateral, circumradius 1.1
        d = -v - 0.55
        for ang in (np.pi / 6, 5 * np.pi / 6):
            d = np.maximum(
                d, float(np.cos(ang)) * u + float(np.sin(ang)) * v - 0.55)
        return d
    if shape == 'cross':
        w = 0.35 * aspect
        bar1 = np.maximum(au - 0.95, av - w)
        bar2 = np.maximum(au - w, av - 0.95)
        return np.minimum(bar1, bar2)
    # ring
    return np.abs(np.sqrt(u**2 + v**2) - 0.7) - 0.3

