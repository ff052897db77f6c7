"""Turning the decrypted PDF into watermarked page images, off the UI thread."""
