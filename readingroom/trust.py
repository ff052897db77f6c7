"""The workstation's trust store: the publishers whose review files it will open.

A JSON file (``trusted-publishers.json`` under ``READINGROOM_HOME`` unless the configuration
names another) mapping publisher fingerprints to their public key and a name. It is written
atomically; an administrator makes it read-only to readers on a real workstation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from readingroom.errors import ConfigurationError, UsageError
from readingroom.fileio import write_atomically
from readingroom.keys import PublisherPublicKey

MAX_NAME = 120


@dataclass(frozen=True)
class TrustedPublisher:
    """One entry of the trust store."""

    key: PublisherPublicKey
    name: str


class TrustStore:
    """The set of trusted publisher keys, loaded from and saved to one file."""

    def __init__(self, path: Path, publishers: dict[str, TrustedPublisher]) -> None:
        self.path = path
        self._publishers = publishers

    @classmethod
    def load(cls, path: Path) -> TrustStore:
        """Read the store; a missing file is an empty store.

        Raises:
            ConfigurationError: the file exists but is unreadable or malformed.
        """
        if not path.exists():
            return cls(path, {})
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            entries = data["publishers"]
            publishers = {}
            for entry in entries:
                key = PublisherPublicKey.from_string(entry["public_key"])
                publishers[key.fingerprint] = TrustedPublisher(key, str(entry["name"]))
        except (OSError, ValueError, KeyError, TypeError, UsageError) as exc:
            raise ConfigurationError(f"The trust store {path} cannot be read.") from exc
        return cls(path, publishers)

    def is_trusted(self, fingerprint: str) -> bool:
        """True when a publisher with this fingerprint is in the store."""
        return fingerprint in self._publishers

    def get(self, fingerprint: str) -> TrustedPublisher | None:
        """The entry for ``fingerprint``, if trusted."""
        return self._publishers.get(fingerprint)

    def publishers(self) -> list[TrustedPublisher]:
        """All entries, sorted by name."""
        return sorted(self._publishers.values(), key=lambda item: (item.name, item.key.fingerprint))

    def add(self, key: PublisherPublicKey, name: str) -> TrustedPublisher:
        """Add (or rename) a publisher and save the store."""
        name = " ".join(name.split())[:MAX_NAME] or "Unnamed publisher"
        entry = TrustedPublisher(key, name)
        self._publishers[key.fingerprint] = entry
        self._save()
        return entry

    def remove(self, fingerprint_or_key: str) -> TrustedPublisher:
        """Remove a publisher given by fingerprint (or a unique prefix of it) or public key.

        Raises:
            UsageError: nothing or more than one entry matches.
        """
        text = fingerprint_or_key.strip()
        if text.startswith("rrpub1"):
            text = PublisherPublicKey.from_string(text).fingerprint
        text = text.replace(":", "").replace(" ", "").lower()
        matches = [fp for fp in self._publishers if fp.startswith(text)] if text else []
        if len(matches) != 1:
            raise UsageError(f'No single trusted publisher matches "{fingerprint_or_key}".')
        entry = self._publishers.pop(matches[0])
        self._save()
        return entry

    def _save(self) -> None:
        data = {
            "publishers": [
                {
                    "name": entry.name,
                    "fingerprint": entry.key.fingerprint,
                    "public_key": str(entry.key),
                }
                for entry in self.publishers()
            ]
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
        write_atomically(self.path, text.encode("utf-8"), force=True, mode=0o644)
