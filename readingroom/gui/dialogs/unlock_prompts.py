"""The unlock dialog as the viewer asks for it: to open a review file, and after an idle lock.

The wording depends on the session's factor (a passphrase, a protected or an unprotected key
file) and on whether the workstation has a key of its own; the dialog itself
(:class:`~readingroom.gui.dialogs.unlock_dialog.UnlockDialog`) knows none of that.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QWidget

from readingroom.errors import CannotUnlock, FactorNotRenewable
from readingroom.gui.dialogs.unlock_dialog import UnlockDialog
from readingroom.review_folder import entry_lines
from readingroom.viewing.open_session import SessionOpener
from readingroom.viewing.reader_factor import FactorKind


def unlock_prompt(
    opener: SessionOpener,
    error: CannotUnlock | None,
    *,
    delay_for: Callable[[int], float],
    discard: Callable[[object], None],
    parent: QWidget | None,
) -> UnlockDialog:
    """The dialog that asks for the factor to open the file (``error``: the last failure)."""
    if opener.factor.kind is FactorKind.PROTECTED_KEY_FILE:
        heading = "Enter the passphrase of your key file to open this review file."
    else:
        heading = "Enter your passphrase to open this review file."
    # Plain words for the two-factor rule: the reader need not know what a key is.
    key_note = (
        "This review file opens only on this reading-room computer, with your passphrase."
        if opener.has_workstation_key
        else "This reading-room computer has no key of its own set up."
    )
    dialog = UnlockDialog(
        opener.attempt,
        heading=heading,
        key_note=key_note,
        delay_for=delay_for,
        discard=discard,
        facts=entry_lines(entry) if (entry := opener.public_entry) else None,
        parent=parent,
    )
    if error is not None:
        dialog.show_error(str(error))
    return dialog


def relock_prompt(
    opener: SessionOpener, parent: QWidget, *, delay_for: Callable[[int], float]
) -> UnlockDialog:
    """The dialog that lifts an idle lock by proving the session's factor again."""
    # Checked against the reader layer's header only: no second plaintext copy. A session
    # opened with an unprotected key file has nothing to prove: the prompt says so, and
    # whatever is typed ends the session (FactorNotRenewable).
    renewable = opener.factor.renewable
    return UnlockDialog(
        opener.prove_factor_again,
        heading=(
            "The reading room is locked. Enter your passphrase to continue reading."
            if renewable
            else str(FactorNotRenewable())
        ),
        delay_for=delay_for,
        ask_secret=renewable,
        title="Reading room locked",
        action_text="Resume reading",
        # The file is already open: "this review file cannot be opened" would mislead.
        failure_text=lambda _error: "That passphrase is not right. Please try again.",
        parent=parent,
    )
