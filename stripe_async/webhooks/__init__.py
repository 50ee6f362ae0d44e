"""Webhook verification and handling; importing this never imports httpx."""

from ..errors import SignatureVerificationError
from .signature import DEFAULT_TOLERANCE, compute_signature, generate_test_header, verify_signature

__all__ = [
    "DEFAULT_TOLERANCE",
    "SignatureVerificationError",
    "compute_signature",
    "generate_test_header",
    "verify_signature",
]
