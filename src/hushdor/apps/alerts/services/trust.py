"""Which signers of received CAP we trust: the PEM certificates in the folder named by the environment
variable ``HUSHDOR_CAP_TRUSTED_CERTS``, read at every call (so an operator can add a partner's
certificate without a restart).

Unset → no trust list: signatures are checked for integrity only (the signer is reported as not
checked). Set → a signed alert must verify against one of these certificates, or it is quarantined.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization

TRUSTED_CERTS_ENV = "HUSHDOR_CAP_TRUSTED_CERTS"
PEM_SUFFIXES = (".pem", ".crt", ".cer")


class TrustedCertificatesError(Exception):
    """The configured folder of trusted certificates cannot be used; the message names what is wrong."""


def trusted_certificates() -> list[bytes] | None:
    """Every certificate (PEM, one per item) in the trusted folder, or None when none is configured."""
    folder = os.environ.get(TRUSTED_CERTS_ENV, "").strip()
    if not folder:
        return None
    path = Path(folder)
    if not path.is_dir():
        raise TrustedCertificatesError(f"{TRUSTED_CERTS_ENV}={folder}: not a folder")
    certificates: list[bytes] = []
    for file in sorted(p for p in path.iterdir() if p.suffix.lower() in PEM_SUFFIXES and p.is_file()):
        certificates.extend(_certificates_in(file))
    if not certificates:
        raise TrustedCertificatesError(
            f"{TRUSTED_CERTS_ENV}={folder}: no certificates found (expected {', '.join(PEM_SUFFIXES)} files)"
        )
    return certificates


def _certificates_in(file: Path) -> list[bytes]:
    try:
        loaded = x509.load_pem_x509_certificates(file.read_bytes())
    except (OSError, ValueError) as exc:
        raise TrustedCertificatesError(f"{file}: not a readable PEM certificate ({exc})") from exc
    return [certificate.public_bytes(serialization.Encoding.PEM) for certificate in loaded]
