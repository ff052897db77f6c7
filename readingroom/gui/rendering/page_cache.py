"""A least-recently-used cache of rendered page images, bounded by bytes rather than count."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from PySide6.QtGui import QImage

from readingroom.viewing.memory_budget import MIN_PAGE_CACHE_BYTES, THUMBNAIL_CACHE_BYTES

# The page view's starting budget; it then follows the screen and the zoom
# (viewing.memory_budget.page_cache_bytes, applied with PageCache.set_max_bytes).
DEFAULT_PAGE_CACHE_BYTES = MIN_PAGE_CACHE_BYTES
# Thumbnails have their own cache and cap, so they never push page images out (or the reverse).
DEFAULT_THUMBNAIL_CACHE_BYTES = THUMBNAIL_CACHE_BYTES


@dataclass(frozen=True)
class RenderKey:
    """What was rendered: the page, at which scale, with which search highlights.

    ``highlight_generation`` changes with every new search, so images with old highlights are
    never shown as current (they are still drawn, scaled, as a stand-in while the new one renders).
    """

    page: int
    zoom: float
    device_pixel_ratio: float
    highlight_generation: int = 0
    thumbnail: bool = False
    inverted: bool = False  # the reader's high-contrast mode (see page_images.burn_in)


class PageCache:
    """LRU map from :class:`RenderKey` to QImage holding at most ``max_bytes`` of pixels."""

    def __init__(self, max_bytes: int) -> None:
        """Create an empty cache that evicts the least recently used images past ``max_bytes``."""
        self.max_bytes = max_bytes
        self._images: OrderedDict[RenderKey, QImage] = OrderedDict()
        self._by_page: dict[int, set[RenderKey]] = {}
        self._bytes = 0

    @property
    def size_bytes(self) -> int:
        """Bytes of pixels currently held."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._images)

    def __contains__(self, key: RenderKey) -> bool:
        return key in self._images

    def get(self, key: RenderKey) -> QImage | None:
        """Return the image for exactly ``key`` (and mark it recently used), or None."""
        image = self._images.get(key)
        if image is not None:
            self._images.move_to_end(key)
        return image

    def get_any(self, page: int) -> QImage | None:
        """Return some image of ``page`` (any zoom), to draw scaled while the right one renders."""
        keys = self._by_page.get(page)
        if not keys:
            return None
        return self._images[max(keys, key=lambda key: key.zoom)]

    def set_max_bytes(self, max_bytes: int) -> None:
        """Change the budget, evicting the least recently used images that no longer fit."""
        self.max_bytes = max_bytes
        self._evict()

    def put(self, key: RenderKey, image: QImage) -> None:
        """Store ``image``; evict old images until the cache fits its budget again."""
        self.discard(key)
        size = image.sizeInBytes()
        if size > self.max_bytes:
            return  # Caching it would evict everything else for one image: just show it once.
        self._images[key] = image
        self._by_page.setdefault(key.page, set()).add(key)
        self._bytes += size
        self._evict()

    def _evict(self) -> None:
        while self._bytes > self.max_bytes and self._images:
            oldest = next(iter(self._images))
            self.discard(oldest)

    def discard(self, key: RenderKey) -> None:
        """Drop ``key`` if present."""
        image = self._images.pop(key, None)
        if image is None:
            return
        self._bytes -= image.sizeInBytes()
        keys = self._by_page.get(key.page)
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self._by_page[key.page]

    def clear(self) -> None:
        """Drop every image."""
        self._images.clear()
        self._by_page.clear()
        self._bytes = 0
