"""File analysis for the formal pre-check: sniffing, safe unpacking, page geometry, text, seals, OCR.

Everything here that touches file content is meant to run inside ``intake.sandbox`` (a child process
with a memory cap and a timeout); ``intake.files.worker`` holds the functions the children run.
"""
