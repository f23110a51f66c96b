"""File analysis for the formal pre-check: sniffing, safe unpacking, page geometry, text, seals, OCR.

Everything here that touches file content is meant to run inside ``precheck.sandbox`` (a child process
with a memory cap and a timeout); ``precheck.files.tasks`` holds the functions the children run.
"""
