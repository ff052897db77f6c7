"""How many bytes of page images the viewer keeps, from the screen and the zoom (Qt-free).

A fixed budget is wrong both ways: 160 MB holds forty pages at 100 % on an ordinary screen (far
more than a reader goes back to) and a handful at 400 % on a HiDPI one. The page cache instead
holds :data:`PAGES_KEPT` images of the largest page at the current zoom: the visible pages, the
prefetched ones either side and the last few read, so Back and PgUp stay instant, within a
floor (tiny zooms) and a ceiling (the machine's memory is shared with everything else).
"""

from __future__ import annotations

from readingroom.viewing.wire import MAX_IMAGE_PIXELS

# Visible pages (up to 3 at small zooms) + 2 prefetched either side + pages just read.
PAGES_KEPT = 12
BYTES_PER_PIXEL = 4  # QImage RGB32
MIN_PAGE_CACHE_BYTES = 24 * 1024 * 1024
MAX_PAGE_CACHE_BYTES = 192 * 1024 * 1024
# Thumbnails (120 px wide, ~80 KB each at ratio 1): a few screens of the panel.
THUMBNAIL_CACHE_BYTES = 24 * 1024 * 1024


def page_image_bytes(page_size: tuple[float, float], zoom: float, device_pixel_ratio: float) -> int:
    """Bytes of one page image at ``zoom`` on a screen of ``device_pixel_ratio``."""
    width, height = page_size
    scale = max(zoom * device_pixel_ratio, 0.0)
    pixels = min(width * scale * height * scale, float(MAX_IMAGE_PIXELS))
    return int(pixels * BYTES_PER_PIXEL)


def largest_page(page_sizes: tuple[tuple[float, float], ...]) -> tuple[float, float]:
    """The page with the largest area (its image is the largest at any zoom)."""
    return max(page_sizes, key=lambda size: size[0] * size[1], default=(0.0, 0.0))


def page_cache_bytes(largest: tuple[float, float], zoom: float, device_pixel_ratio: float) -> int:
    """The page cache's budget: :data:`PAGES_KEPT` images of the ``largest`` page (see
    :func:`largest_page`), within the bounds."""
    image = page_image_bytes(largest, zoom, device_pixel_ratio)
    return min(MAX_PAGE_CACHE_BYTES, max(MIN_PAGE_CACHE_BYTES, PAGES_KEPT * image))
