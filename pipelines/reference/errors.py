"""Errors of the reference data: the message names the file (or CBS table) and what is wrong, in Dutch."""
from __future__ import annotations


class ReferenceDataError(ValueError):
    """Reference data (a CSV or group YAML, or a CBS response) that cannot be used."""


class CbsUnavailableError(ReferenceDataError):
    """CBS open data could not be reached (no network, time-out, HTTP error); nothing was written."""


class CbsFormatError(ReferenceDataError):
    """A CBS table answered, but not in the shape the refresh expects; nothing was written."""
