"""The reading use case, Qt-free: opening a review file for a session, and the renderer process."""
