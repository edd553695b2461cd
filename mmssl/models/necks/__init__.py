"""mmssl necks."""
from .videomae_decoder import VideoMAEDecoder  # noqa: F401
from .videomae_conv_decoder import VideoMAEConvDecoder  # noqa: F401
from .projection_mlp import ProjectionMLP  # noqa: F401
from .mlp_projection_neck import MLPProjectionNeck  # noqa: F401,E402
from .parallel_necks import ParallelNecks  # noqa: F401,E402
from .frame_pixel_decoder import FramePixelDecoder  # noqa: F401,E402
from .csvr_integration import CSVRIntegration  # noqa: F401,E402
