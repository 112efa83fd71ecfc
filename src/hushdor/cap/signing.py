"""XML-DSig enveloped signatures for CAP alerts.

RSA-SHA256 with SHA-256 digests and exclusive canonicalisation (``xml-exc-c14n#``), enveloped over
the whole ``<alert>`` (reference URI ""), as WMO cap-composer and Google's CAPCollector sign. The
``<Signature>`` goes last in ``<alert>``, where the CAP 1.2 XSD admits XML-DSig elements
(``<any namespace="http://www.w3.org/2000/09/xmldsig#"/>``), so a signed alert still validates.

``verify`` checks the signature against each trusted certificate in turn (the key that signs must be
one of them); without a trust list it only checks integrity against the certificate the document
carries and says the signer is not trusted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from lxml import etree
from signxml import DigestAlgorithm, SignatureMethod, XMLSigner, XMLVerifier
from signxml.exceptions import InvalidInput, SignXMLException

from hushdor.cap.errors import SigningError
from hushdor.cap.safety import load_tree

DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
EXCLUSIVE_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#"
CAP_ALERT_TAG = "{urn:oasis:names:tc:emergency:cap:1.2}alert"


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    valid: bool
    signer: str | None
    reason: str
    trusted: bool = False


def sign(xml: bytes, key_pem: bytes, cert_pem: bytes) -> bytes:
    """Return the alert with an enveloped ``<ds:Signature>`` appended to ``<alert>``."""
    loaded = load_tree(xml)
    if loaded.root is None:
        raise SigningError(f"cannot sign: {loaded.findings[0].message}")
    if loaded.root.find(f"{{{DSIG_NS}}}Signature") is not None:
        raise SigningError("the document is already signed")
    signer = XMLSigner(
        signature_algorithm=SignatureMethod.RSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=EXCLUSIVE_C14N,
    )
    signer.namespaces = {"ds": DSIG_NS}
    try:
        signed = signer.sign(loaded.root, key=key_pem, cert=cert_pem.decode("ascii"))
    except (SignXMLException, ValueError, TypeError) as exc:
        raise SigningError(f"cannot sign with the given key and certificate: {exc}") from exc
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def verify(xml: bytes, *, trusted_certs: list[bytes] | None = None) -> SignatureCheck:
    """Is ``xml`` signed over the whole alert, unchanged since, by a trusted certificate?"""
    loaded = load_tree(xml)
    if loaded.root is None:
        return SignatureCheck(False, None, f"not readable: {loaded.findings[0].message}")
    signatures = loaded.root.findall(f"{{{DSIG_NS}}}Signature")
    if not signatures:
        return SignatureCheck(False, None, "the alert is not signed")
    if len(signatures) > 1:
        return SignatureCheck(False, None, "the alert carries more than one signature")
    embedded = _embedded_certificate(signatures[0])
    if trusted_certs is None:
        if embedded is None:
            return SignatureCheck(
                False, None, "the signature carries no certificate and no trusted certificate was given"
            )
        check = _verify_with(loaded.root, embedded)
        if not check.valid:
            return check
        return SignatureCheck(
            True,
            check.signer,
            "signature intact, but the signer was not checked against a list of trusted certificates",
            trusted=False,
        )
    reasons = []
    for cert in trusted_certs:
        check = _verify_with(loaded.root, cert)
        if check.valid:
            return SignatureCheck(
                True, check.signer, "signature valid and made by a trusted certificate", trusted=True
            )
        reasons.append(check.reason)
    detail = "; ".join(dict.fromkeys(reasons)) if reasons else "no trusted certificates were given"
    return SignatureCheck(False, None, f"no trusted certificate verifies this signature ({detail})")


def _verify_with(root: etree._Element, cert_pem: bytes) -> SignatureCheck:
    try:
        certificate = x509.load_pem_x509_certificate(cert_pem)
    except ValueError as exc:
        return SignatureCheck(False, None, f"a certificate could not be read: {exc}")
    try:
        result = XMLVerifier().verify(
            root, x509_cert=cert_pem.decode("ascii"), expect_references=1, ignore_ambiguous_key_info=True
        )
    except (SignXMLException, InvalidInput, ValueError) as exc:
        return SignatureCheck(False, None, _plain_reason(exc))
    signed = result.signed_xml
    if signed is None or signed.tag != CAP_ALERT_TAG:
        return SignatureCheck(False, None, "the signature does not cover the whole <alert>")
    return SignatureCheck(True, _common_name(certificate), "signature valid")


def _plain_reason(exc: Exception) -> str:
    message = str(exc)
    if "Digest mismatch" in message:
        return "the alert was changed after it was signed (digest mismatch)"
    if "Signature verification failed" in message or "invalid signature" in message.lower():
        return "the signature was not made with this certificate's key, or the signature was altered"
    return f"the signature does not verify: {message}"


def _embedded_certificate(signature: etree._Element) -> bytes | None:
    element = signature.find(f".//{{{DSIG_NS}}}X509Certificate")
    if element is None or not (element.text or "").strip():
        return None
    body = "".join((element.text or "").split())
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return ("-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n").encode()


def _common_name(certificate: x509.Certificate) -> str:
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def generate_self_signed(common_name: str, days: int = 3650) -> tuple[bytes, bytes]:
    """A 2048-bit RSA key and a self-signed certificate for demo or embedded deployments (PEM)."""
    if not common_name.strip():
        raise SigningError("a certificate needs a common name")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)
