"""Finding the session marks in a photograph or screenshot of a page (``trace --image``).

The viewer prints QR codes in pale yellow (``readingroom.session_mark``). Here the photo is read
with Pillow, downscaled before anything large is allocated, turned into a "yellowness" channel in
which the text and the paper vanish and the codes stand out, and decoded by zxing-cpp, which
finds codes at any rotation and under perspective. Several views are tried (yellowness, plain
luminance for a mark that lost its colour, larger and median-filtered copies for a small page or a
harshly compressed JPEG), then the same views of the inverted photo (a page shown in the viewer's
inverted mode); every code found is reported, so a picture that combines two sessions' pages
names both.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import numpy
import zxingcpp
from PIL import Image, ImageFilter, ImageOps, UnidentifiedImageError

from readingroom.errors import InputFileError
from readingroom.session_mark import parse_mark_payload

_QR = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
# Decoding works on at most this many pixels along the longer side: a phone's 12-megapixel photo
# of a page is reduced to it before any filter runs, which bounds memory and time.
WORKING_SIDE = 2400
# Pillow refuses to decode more than this; JPEGs are decoded straight at a reduced size (draft)
# so a 100-megapixel JPEG costs no more than its reduction.
MAX_DECODED_PIXELS = 64_000_000
MAX_FILE_BYTES = 80 * 1024 * 1024
_DARKEST_COLOURED = 40
_SMALLEST_VIEW = 300


def load_photo(path: Path) -> Image.Image:
    """Read a PNG or JPEG, upright (EXIF orientation), RGB, at most WORKING_SIDE on a side.

    Raises:
        InputFileError: the file is missing, too large, or not a readable PNG/JPEG image.
    """
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputFileError(f"{path.name} is too large to be a photograph of a page.")
        with Image.open(path) as opened:
            if opened.format not in ("PNG", "JPEG", "MPO"):
                raise InputFileError(f"{path.name} is not a PNG or JPEG image.")
            if opened.format in ("JPEG", "MPO"):
                # Let the JPEG decoder skip detail we would throw away anyway.
                opened.draft("RGB", (WORKING_SIDE, WORKING_SIDE))
            width, height = opened.size
            if width * height > MAX_DECODED_PIXELS:
                raise InputFileError(f"{path.name} has too many pixels to be read safely.")
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                opened.load()
            upright = ImageOps.exif_transpose(opened)
            image = upright.convert("RGB")
    except InputFileError:
        raise
    except FileNotFoundError as error:
        raise InputFileError(f"{path.name} does not exist.") from error
    except (OSError, UnidentifiedImageError, ValueError, SyntaxError, Warning) as error:
        # Pillow reports a truncated or corrupt image as OSError/SyntaxError/ValueError.
        raise InputFileError(f"{path.name} is not a readable PNG or JPEG image.") from error
    image.thumbnail((WORKING_SIDE, WORKING_SIDE), Image.Resampling.LANCZOS)
    return image


def yellowness(image: Image.Image) -> Image.Image:
    """A greyscale view in which the mark's yellow modules are dark and everything else light.

    Yellowness is measured relative to the pixel's own brightness, ``1 - blue / mean(red,
    green)``, so a page lit unevenly (a lamp on one side) gives the same contrast in its shadow
    as in the light; black text, white paper and the grey tiles all give about 0.
    """
    pixels = numpy.asarray(image, dtype=numpy.float32)
    red_green = (pixels[..., 0] + pixels[..., 1]) / 2
    ratio = numpy.clip(1 - pixels[..., 2] / numpy.maximum(red_green, 1), 0, 1)
    # Nearly black pixels (text, a dark desk) have no reliable colour at all.
    ratio[red_green < _DARKEST_COLOURED] = 0
    top = float(numpy.percentile(ratio, 99.5)) or 1.0
    view = 255 - numpy.clip(ratio * (255 / top), 0, 255)
    return Image.fromarray(view.astype(numpy.uint8), "L")


def _larger(view: Image.Image, factor: float, blur: float) -> Image.Image:
    size = (round(view.width * factor), round(view.height * factor))
    return view.resize(size, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(blur))


def _views(image: Image.Image) -> Iterator[Image.Image]:
    """The pictures the decoder tries, cheapest and most likely first.

    Each view is tried only when every earlier one decoded nothing, so the later, dearer ones
    cost time only on a hard photo (or one with no mark at all).
    """
    yield from _views_of(image)
    # The reader's inverted mode (light on black) inverts the page, mark included, before the
    # watermark is burned in: the pale-yellow modules become a near-black blue on black, which
    # neither the yellowness nor the luminance views can see. Inverting the photo turns them back
    # into pale yellow on white, so the same views apply. These come after every view of the
    # photo as taken, so a photo of a page in the normal mode is traced no slower than before.
    yield from _views_of(ImageOps.invert(image))


def _views_of(image: Image.Image) -> Iterator[Image.Image]:
    """The views of one picture (the photo as taken, or its inverse)."""
    channel = yellowness(image)
    yield channel
    # JPEG keeps colour at half resolution in noisy 8x8 blocks: blurring the channel, or reading
    # it at half size, averages the noise back into modules.
    yield channel.filter(ImageFilter.GaussianBlur(1))
    yield channel.filter(ImageFilter.GaussianBlur(2))
    half = image.reduce(2)
    if min(half.size) >= _SMALLEST_VIEW:
        yield yellowness(half).filter(ImageFilter.GaussianBlur(1))
    # A mark photographed in grey light or through a colour filter: plain luminance.
    yield image.convert("L")
    # A small, far-away page, or a JPEG whose colour blocks broke the modules' edges: a larger,
    # smoothed copy gives the detector more pixels per module and rounder module edges. Measured
    # on JPEG quality 40 pages (benchmarks/bench_trace.py), these views recover most of the
    # photos the views above miss; the image is at most WORKING_SIDE, so the copies are bounded.
    yield _larger(channel, 1.5, 1.5)
    yield _larger(channel, 2, 2)
    yield _larger(channel, 2, 3)
    # Text printed over a code leaves thin dark strokes in the channel; a median removes them.
    yield channel.filter(ImageFilter.MedianFilter(3))
    yield channel.filter(ImageFilter.MedianFilter(5))


def find_session_codes(image: Image.Image) -> list[str]:
    """The distinct session codes of every valid mark found in ``image``, most frequent first."""
    counts: dict[str, int] = {}
    for view in _views(image):
        for barcode in zxingcpp.read_barcodes(view, formats=_QR):
            code = parse_mark_payload(barcode.text)
            if code is not None:
                counts[code] = counts.get(code, 0) + 1
        if counts:
            # Stop at the first view that decodes: later views only repeat the same codes.
            break
    return sorted(counts, key=lambda code: (-counts[code], code))


def trace_photo(path: Path) -> list[str]:
    """The session codes marked in the photo at ``path``.

    Raises:
        InputFileError: the file cannot be read as a PNG or JPEG image.
    """
    return find_session_codes(load_photo(path))
