"""The question before ending a session: "End this reading session?".

Window-modal and opened with ``open()`` (never ``exec()``): a nested event loop would hold up a
stop signal or the audit log's failure while the reader hesitates. The summary that follows is
no box: the ended curtain shows it (``gui/widgets/curtain.py``), so nothing is drawn over it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

END_QUESTION = "End this reading session?"
END_DETAIL = (
    "The page will be covered and the session recorded as ended. To read again, you will "
    "open the review file and enter your passphrase again."
)


def end_question(parent: QWidget) -> tuple[QMessageBox, QPushButton]:
    """The question, with "End session" (the default, Enter) and "Keep reading" (Esc).

    Returns:
        The box (not yet shown) and its "End session" button, to tell the answer by.
    """
    box = QMessageBox(parent)
    box.setObjectName("endSessionQuestion")
    box.setWindowTitle(END_QUESTION)
    box.setIcon(QMessageBox.Icon.Question)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(END_QUESTION)
    box.setInformativeText(END_DETAIL)
    end = box.addButton("End session", QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton("Keep reading", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(end)
    box.setEscapeButton(keep)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    return box, end
