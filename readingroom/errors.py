"""The one exception hierarchy of ReadingRoom.

Every failure a user can meet is a subclass of :class:`ReadingRoomError`. Each class carries a
fixed message that is safe to show to anyone (it never contains document text, key material or
which of several cryptographic checks failed) and the exit code the CLI returns for it. The CLI
and the GUI both show ``str(error)``; neither invents its own wording.

The precise cause, where one exists, travels in ``reason``: a short category meant for the audit
log (for example ``"wrong passphrase"``), never for the screen.
"""

from __future__ import annotations

import sys
from typing import ClassVar

from readingroom.age.errors import AgeError, AgeKeyError, AgeNoMatch


class ExitCode:
    """Process exit codes, documented in the README."""

    OK = 0
    INTERNAL = 1
    USAGE = 2
    BAD_INPUT = 3
    CANNOT_UNLOCK = 4
    DAMAGED = 5
    REFUSED = 6
    AUDIT_UNAVAILABLE = 7
    AUDIT_TAMPERED = 8
    NOT_VERIFIED = 9
    NOT_A_REVIEW_FILE = 10
    INTERRUPTED = 130


class ReadingRoomError(Exception):
    """Base class: a failure with a message that is safe to show."""

    message: ClassVar[str] = "ReadingRoom could not complete the operation."
    exit_code: ClassVar[int] = ExitCode.INTERNAL

    def __init__(self, detail: str | None = None, *, reason: str | None = None) -> None:
        """Create the error.

        Args:
            detail: replaces the class message. Only pass text the user already knows (a path
                they typed, a line number in their own CSV file); never document text.
            reason: the precise cause, for the audit log only.
        """
        self.detail = detail
        self.reason = reason or type(self).__name__
        super().__init__(detail or self.message)

    def __str__(self) -> str:
        return self.detail or self.message


class UsageError(ReadingRoomError):
    """The command line or a configuration value does not make sense."""

    message = "The command was not used correctly."
    exit_code = ExitCode.USAGE


class InputFileError(ReadingRoomError):
    """An input or output file cannot be used (missing, not a PDF, output exists...)."""

    message = "The input file cannot be used."
    exit_code = ExitCode.BAD_INPUT


class ConfigurationError(ReadingRoomError):
    """The workstation configuration is unreadable or unsafe."""

    message = "The workstation configuration is missing, unreadable or unsafe."
    exit_code = ExitCode.USAGE


class NotAReviewFile(ReadingRoomError):
    """The file given is something else altogether (a PDF, a text file), not a damaged one."""

    message = "This is not a ReadingRoom review file."
    exit_code = ExitCode.NOT_A_REVIEW_FILE


class CannotUnlock(ReadingRoomError):
    """Wrong passphrase or key, or the file was sealed for another reader or workstation.

    These cases share one message on purpose: telling them apart would help an attacker.
    """

    message = (
        "This review file cannot be opened with the passphrase or keys given: they are wrong, "
        "or the file was not sealed for this reader on this workstation."
    )
    exit_code = ExitCode.CANNOT_UNLOCK


class KeyFileLocked(CannotUnlock):
    """A passphrase-protected key file was given the wrong passphrase."""

    message = "The key file's passphrase is not right."


class DamagedFile(ReadingRoomError):
    """Signature, MAC, header or payload check failed: the file is damaged or altered."""

    message = "This review file is damaged or has been altered. It will not be opened."
    exit_code = ExitCode.DAMAGED


class PolicyRefused(ReadingRoomError):
    """The file is genuine but its policy or the workstation's trust refuses it."""

    message = "This review file may not be opened here."
    exit_code = ExitCode.REFUSED


class UntrustedPublisher(PolicyRefused):
    message = (
        "This review file comes from a publisher this workstation does not trust. "
        "Ask the workstation administrator to add the publisher's key."
    )


class Expired(PolicyRefused):
    message = "This review file has expired and can no longer be opened."


class NotYetValid(PolicyRefused):
    message = "This review file cannot be opened yet: its reading period has not started."


class WorkstationRefused(PolicyRefused):
    message = "This review file may not be opened on this workstation."


class Revoked(PolicyRefused):
    message = (
        "This review file has been withdrawn by its publisher and can no longer be opened. "
        "Ask the custodian if you still need to read it."
    )


class ClockRolledBack(PolicyRefused):
    message = (
        "The workstation clock has been set back, so files with an expiry date cannot be "
        "opened. Ask the administrator to correct the clock."
    )


class CaptureNotEnforced(PolicyRefused):
    """The workstation requires screen-capture exclusion and this OS does not enforce it."""

    message = (
        "This workstation requires that screen capture be blocked, and it is not blocked here. "
        "No document will be opened. Ask the workstation administrator."
    )

    def __init__(self, detail: str | None = None, *, reason: str | None = None) -> None:
        """The audit category is fixed: "capture not enforced"."""
        super().__init__(detail, reason=reason or "capture not enforced")


class UnprotectedReaderKey(PolicyRefused):
    """``view --identity`` with a key file that has no passphrase, on a workstation that
    does not allow it (``allow_unprotected_reader_keys``)."""

    message = (
        "This workstation only accepts reader key files protected by a passphrase. "
        "Protect the key file with a passphrase, or use the passphrase the file was sealed with."
    )


class FactorNotRenewable(PolicyRefused):
    """After an idle lock, a session opened with an unprotected key file cannot prove its
    reader again: there is no passphrase to ask for."""

    message = (
        "This session was opened with a key file that has no passphrase, so it cannot be "
        "resumed after the idle lock. Close it and open the review file again."
    )


class RendererNotContained(PolicyRefused):
    """The workstation requires the renderer's sandbox (``require_sandbox``) and it failed."""

    message = (
        "This workstation requires documents to be opened in a sandbox, and the sandbox could "
        "not be set up. The document was not opened."
    )


class AuditUnavailable(ReadingRoomError):
    """The audit log could not be written durably. Callers fail closed."""

    message = (
        "The audit log cannot be written, so no document can be shown. "
        "Ask the workstation administrator to check the audit log location."
    )
    exit_code = ExitCode.AUDIT_UNAVAILABLE


class AuditTampered(ReadingRoomError):
    """The audit log does not verify. Documents refuse to open until acknowledged."""

    message = (
        "The audit log on this workstation does not verify and may have been tampered with. "
        "Documents cannot be opened until an administrator has checked it."
    )
    exit_code = ExitCode.AUDIT_TAMPERED


class CentralUnavailable(ReadingRoomError):
    """The central audit database cannot be reached or used; local records wait, untouched."""

    message = (
        "The central audit database cannot be reached. Nothing was lost: the records wait in "
        "the local log and are shipped next time."
    )
    exit_code = ExitCode.AUDIT_UNAVAILABLE


class NotVerified(ReadingRoomError):
    """A prepared document failed its own verification; nothing was written."""

    message = "The prepared document failed verification. No output file was written."
    exit_code = ExitCode.NOT_VERIFIED


class KeyFormatError(UsageError):
    """A string given as an age key is not a valid age key."""

    message = "This is not a valid age key."


class BadSessionCode(UsageError):
    """A session code was mistyped: wrong length, a letter outside the alphabet, or its check
    character does not match."""

    message = (
        "This session code is mistyped: it should be 8 characters and a check character, "
        "like K7Q2-9XHM-6, and its check character does not match."
    )


class NoSessionMark(InputFileError):
    """``trace --image`` found no session mark it could decode (candidates may be listed)."""

    message = (
        "No session mark could be decoded in this image. Any candidates listed above are "
        "guesses from the printed code, not proof."
    )


class UnknownSessionMark(InputFileError):
    """A mark decoded, but no session with its code is in this audit log."""

    message = (
        "A session mark decoded, but its session is not in this audit log (another log, "
        "another workstation, or a forged mark)."
    )


class TermsRemain(NotVerified):
    """Verification found an original name or a redaction term still in the prepared document.

    ``places`` names where ("page 3", "outline entry 2") without the text found; the variant
    ``places_with_originals`` is only shown when the user asked for originals.
    """

    message = (
        "An original name or redaction term remains in the prepared document. "
        "No output file was written."
    )

    def __init__(
        self,
        places: tuple[str, ...],
        *,
        places_with_originals: tuple[str, ...] = (),
        reason: str | None = None,
    ) -> None:
        """Create the error from the list of places (safe text, built by the verifier)."""
        self.places = places
        self.places_with_originals = places_with_originals or places
        super().__init__("\n  ".join((self.message, *places)), reason=reason)


class NamesMissing(NotVerified):
    """``--strict-names``: the draft holds likely names that the names file does not cover."""

    message = (
        "The draft holds likely names that are not in the names file (--strict-names). "
        "No output file was written."
    )

    def __init__(self, count: int, command: str) -> None:
        """Create the error from the count and the ``names suggest`` command that lists them."""
        self.count = count
        noun = "name is" if count == 1 else "names are"
        super().__init__(
            f"{count} likely {noun} not in the names file (--strict-names). No output file "
            f"was written. List them with: {command}"
        )


class UnverifiablePages(NotVerified):
    """Some pages have no text layer (scans) or images OCR cannot read, so no check can
    prove them clean."""

    message = (
        "Some pages have no text layer, or images with ink that OCR cannot read, and cannot be "
        "verified. No output file was written. Use --allow-unverifiable-pages to accept them."
    )

    def __init__(self, pages: tuple[int, ...]) -> None:
        """Create the error naming the page numbers."""
        self.pages = pages
        listed = ", ".join(str(page) for page in pages)
        super().__init__(f"{self.message} Pages: {listed}.")


class OcrUnavailable(InputFileError):
    """A page needs OCR (a scan, or an image large enough to hold a word) and Tesseract's
    English language data is not installed."""

    message = (
        "This PDF has scanned pages or images that must be read by OCR, and Tesseract is not "
        "installed. Install the tesseract-ocr and tesseract-ocr-eng packages."
    )


class EngineUnavailable(InputFileError):
    """A package of the ``publish`` extra is missing: the second PDF engine (qpdf, through
    pikepdf) that ``prepare`` verifies with, or the look-alike letters table it matches with."""

    message = (
        "prepare needs the second PDF engine (pikepdf) and the look-alike letters table "
        "(confusable-homoglyphs); one is not installed. "
        "Install ReadingRoom with its 'publish' extra: pip install 'readingroom[publish]'."
    )


def report_error(message: str) -> None:
    """Print one error line on stderr, the same way for the command line and the viewer."""
    sys.stderr.write(f"readingroom: error: {message}\n")


def from_age_error(error: AgeError) -> ReadingRoomError:
    """The one place that turns the age layer's failures into what a person is told.

    No identity matched: :class:`CannotUnlock` (a wrong key and a file for someone else look
    the same, on purpose). A bad key string: :class:`KeyFormatError`. Anything else (header,
    MAC, payload): :class:`DamagedFile`. The age ``reason`` is kept for the audit log.
    """
    if isinstance(error, AgeNoMatch):
        return CannotUnlock(reason=error.reason)
    if isinstance(error, AgeKeyError):
        return KeyFormatError(reason=error.reason)
    return DamagedFile(reason=error.reason)


# Sealed impression notes (readingroom.notes, issue 15).


class NotesUnreadable(DamagedFile):
    """A notes file that does not decrypt, is cut short, altered, or belongs to another document
    or reader. The viewer keeps it aside for the custodian and starts a new one."""

    message = "Your earlier notes could not be read; they are kept for the custodian."


class NotesTooLong(InputFileError):
    """The notes are over the size cap; nothing beyond the last saved version is kept."""

    message = (
        "Your notes have reached the 1 MB limit. What you type beyond it will not be saved; "
        "shorten them to save again."
    )


class NotesNotSaved(InputFileError):
    """A notes file could not be written (full disk, permissions); nothing was half-written."""

    message = (
        "Your notes could not be saved (the disk may be full). Notes are read-only for the rest "
        "of this session; the last saved version is kept."
    )


class NotesNotInLog(NotVerified):
    """``notes open/release --log``: the file is not the last version the audit log recorded."""

    message = (
        "This notes file is not the last version the audit log records as saved in the reading "
        "room. It may have been replaced or altered."
    )
