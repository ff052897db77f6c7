"""Synthetic "photographs" of a rendered page, for the trace tests and benchmarks/bench_trace.py.

Each degradation takes a clean RGB page image and a seeded random generator and returns what a
phone or a careless screenshot would give: rotated, warped, small, blurred, JPEG-compressed,
cropped to a quarter, or unevenly lit. Pillow only, so the same code runs in the tests and in the
benchmark.
"""

from __future__ import annotations

import io
import random
from collections.abc import Callable

from PIL import Image, ImageChops, ImageDraw, ImageFilter

Degradation = Callable[[Image.Image, random.Random], Image.Image]

# A phone at arm's length sees an A4 page about 1000 pixels high after its own processing.
PHONE_PAGE_HEIGHT = 1000
BACKGROUND = (90, 85, 80)


def page_from_qimage(image: object) -> Image.Image:
    """A Pillow RGB copy of a QImage (converted by the caller's Qt; typed loosely to stay Qt-free)."""
    from PySide6.QtGui import QImage  # noqa: PLC0415 - only the callers that render need Qt

    assert isinstance(image, QImage)
    rgb = image.convertToFormat(QImage.Format.Format_RGB888)
    data = bytes(rgb.constBits())
    return Image.frombuffer(
        "RGB", (rgb.width(), rgb.height()), data, "raw", "RGB", rgb.bytesPerLine(), 1
    ).copy()


def rotate(page: Image.Image, rng: random.Random) -> Image.Image:
    """Rotated by up to 15 degrees either way, on a desk-coloured background."""
    angle = rng.uniform(5, 15) * rng.choice((-1, 1))
    return page.rotate(angle, Image.Resampling.BICUBIC, expand=True, fillcolor=BACKGROUND)


def perspective(page: Image.Image, rng: random.Random) -> Image.Image:
    """Photographed at an angle: each corner pulled in by up to 12 % of the side."""
    width, height = page.size
    pad = round(0.12 * max(width, height))
    canvas = Image.new("RGB", (width + 2 * pad, height + 2 * pad), BACKGROUND)
    canvas.paste(page, (pad, pad))

    def jitter(limit: float) -> float:
        return rng.uniform(0, limit)

    limit_x, limit_y = 0.12 * width, 0.12 * height
    # Where each corner of the page lands in the output (top-left, top-right, ...).
    corners = [
        (pad + jitter(limit_x), pad + jitter(limit_y)),
        (pad + width - jitter(limit_x), pad + jitter(limit_y)),
        (pad + width - jitter(limit_x), pad + height - jitter(limit_y)),
        (pad + jitter(limit_x), pad + height - jitter(limit_y)),
    ]
    source = [(pad, pad), (pad + width, pad), (pad + width, pad + height), (pad, pad + height)]
    coefficients = _perspective_coefficients(corners, source)
    return canvas.transform(
        canvas.size,
        Image.Transform.PERSPECTIVE,
        coefficients,
        Image.Resampling.BICUBIC,
        fillcolor=BACKGROUND,
    )


def _perspective_coefficients(
    output: list[tuple[float, float]], source: list[tuple[float, float]]
) -> tuple[float, ...]:
    """The 8 coefficients mapping output points back to source points (Pillow's convention)."""
    rows: list[list[float]] = []
    rhs: list[float] = []
    for (x, y), (u, v) in zip(output, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rhs.append(u)
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs.append(v)
    return tuple(_solve(rows, rhs))


def _solve(matrix: list[list[float]], rhs: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting for the 8 x 8 system above."""
    size = len(rhs)
    augmented = [[*row, value] for row, value in zip(matrix, rhs, strict=True)]
    for column in range(size):
        pivot = max(range(column, size), key=lambda row: abs(augmented[row][column]))
        augmented[column], augmented[pivot] = augmented[pivot], augmented[column]
        for row in range(size):
            if row != column:
                factor = augmented[row][column] / augmented[column][column]
                for index in range(column, size + 1):
                    augmented[row][index] -= factor * augmented[column][index]
    return [augmented[row][size] / augmented[row][row] for row in range(size)]


def phone_resolution(page: Image.Image, rng: random.Random) -> Image.Image:
    """Downscaled so the page is about 1000 pixels high, as a phone at arm's length sees it."""
    height = round(PHONE_PAGE_HEIGHT * rng.uniform(0.9, 1.1))
    width = round(page.width * height / page.height)
    return page.resize((width, height), Image.Resampling.LANCZOS)


def blur(page: Image.Image, rng: random.Random) -> Image.Image:
    """A slightly out-of-focus photo."""
    return page.filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 1.5)))


def jpeg_40(page: Image.Image, rng: random.Random) -> Image.Image:
    """Saved as a JPEG at quality 40 (colour subsampled, as phones and messengers do)."""
    del rng
    buffer = io.BytesIO()
    page.save(buffer, "JPEG", quality=40)
    buffer.seek(0)
    with Image.open(buffer) as decoded:
        return decoded.convert("RGB")


def quarter_crop(page: Image.Image, rng: random.Random) -> Image.Image:
    """A random half-width, half-height window of the page: a quarter of it."""
    width, height = page.width // 2, page.height // 2
    left = rng.randrange(0, page.width - width + 1)
    top = rng.randrange(0, page.height - height + 1)
    return page.crop((left, top, left + width, top + height))


def uneven_light(page: Image.Image, rng: random.Random) -> Image.Image:
    """A lamp on one side: brightness falls from 100 % to about 45 % across the page."""
    width, height = page.size
    darkest = rng.uniform(0.4, 0.5)
    ramp = Image.linear_gradient("L").resize((width, height))
    if rng.random() < 0.5:
        ramp = ramp.rotate(90, expand=False).resize((width, height))
    shade = ramp.point(lambda value: round(255 * (1 - (1 - darkest) * value / 255)))
    light = Image.merge("RGB", (shade, shade, shade))
    # The page reflects the light falling on it.
    return ImageChops.multiply(page, light)


def combined(page: Image.Image, rng: random.Random) -> Image.Image:
    """A real phone photo's distance, angle, light and JPEG at once (phones sharpen: no blur)."""
    image = phone_resolution(page, rng)
    image = perspective(image, rng)
    image = rotate(image, rng)
    image = uneven_light(image, rng)
    return jpeg_40(image, rng)


def draw_two_pages(first: Image.Image, second: Image.Image) -> Image.Image:
    """Two pages side by side in one picture, as a combined photo would show them."""
    canvas = Image.new("RGB", (first.width + second.width + 40, max(first.height, second.height)))
    ImageDraw.Draw(canvas).rectangle((0, 0, canvas.width, canvas.height), fill=BACKGROUND)
    canvas.paste(first, (0, 0))
    canvas.paste(second, (first.width + 40, 0))
    return canvas


DEGRADATIONS: dict[str, Degradation] = {
    "rotation <= 15 deg": rotate,
    "perspective warp": perspective,
    "phone resolution": phone_resolution,
    "gaussian blur": blur,
    "jpeg quality 40": jpeg_40,
    "quarter-page crop": quarter_crop,
    "uneven lighting": uneven_light,
    "all at once": combined,
}
