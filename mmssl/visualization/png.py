"""Keep photo-like figure PNGs small (docs pages commit them; < 300 KB)."""
__all__ = ['save_figure_small']


def save_figure_small(fig, out: str, dpi: int = 90, colors: int = 256) -> str:
    """Save a matplotlib figure as a palette PNG of ``colors`` colours.

    Frames of videos compress poorly as RGB PNGs; a 256-colour palette
    (PIL's median-cut quantiser) cuts the file several times with little
    visible change.

    Args:
        fig: A matplotlib figure (closed afterwards by the caller).
        out (str): PNG path.
        dpi (int): Resolution.
        colors (int): Palette size (2..256).

    Returns:
        str: ``out``.
    """
    import io
    import os
    import os.path as osp

    from PIL import Image
    buffer = io.BytesIO()
    fig.savefig(buffer, format='png', dpi=dpi)
    buffer.seek(0)
    image = Image.open(buffer).convert('RGB').quantize(colors=colors)
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    image.save(out, optimize=True)
    return out
