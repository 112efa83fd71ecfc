"""The key and certificate alerts are signed with.

Paths: env ``HUSHDOR_CAP_KEY`` / ``HUSHDOR_CAP_CERT`` (PEM files), else ``settings.VAR_DIR / "cap" /
"signing-key.pem"`` and ``"signing-cert.pem"``. In embedded mode, when neither file exists, a
self-signed pair is generated on first use (private key written with mode 0600). A configured path
that does not exist is an error, never silently replaced.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings

from hushdor.apps.alerts.services.building import cap_sender
from hushdor.cap.errors import SigningError
from hushdor.cap.signing import generate_self_signed


def signing_paths() -> tuple[Path, Path, bool]:
    """``(key path, cert path, configured)``."""
    key, cert = os.environ.get("HUSHDOR_CAP_KEY"), os.environ.get("HUSHDOR_CAP_CERT")
    if key or cert:
        if not (key and cert):
            raise SigningError("set both HUSHDOR_CAP_KEY and HUSHDOR_CAP_CERT, or neither")
        return Path(key), Path(cert), True
    folder = Path(settings.VAR_DIR) / "cap"
    return folder / "signing-key.pem", folder / "signing-cert.pem", False


def signing_material() -> tuple[bytes, bytes]:
    """``(key PEM, certificate PEM)``, generating the embedded self-signed pair when needed."""
    key_path, cert_path, configured = signing_paths()
    if not key_path.exists() or not cert_path.exists():
        if configured:
            raise SigningError(f"the signing key {key_path} or certificate {cert_path} does not exist")
        _generate(key_path, cert_path)
    return key_path.read_bytes(), cert_path.read_bytes()


def signing_certificate() -> bytes:
    return signing_material()[1]


def _generate(key_path: Path, cert_path: Path) -> None:
    key_path.parent.mkdir(parents=True, exist_ok=True)
    key_pem, cert_pem = generate_self_signed(cap_sender())
    try:
        fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process generated it first; use theirs
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(key_pem)
    temporary = cert_path.with_suffix(".tmp")
    temporary.write_bytes(cert_pem)
    temporary.replace(cert_path)
