"""Keys and the two primitives both providers use (B-2), on `cryptography`:
RSA-SHA256 with PKCS#1 v1.5 padding ("SHA256withRSA": WeChat Pay v3's
WECHATPAY2-SHA256-RSA2048 and Alipay's RSA2) and AES-256-GCM (WeChat Pay v3's
AEAD_AES_256_GCM, RFC 5116: the 16-byte tag is appended to the ciphertext, which is exactly
what `AESGCM.decrypt` expects).

Keys are accepted as the merchant platforms hand them out:
- PEM: "-----BEGIN PRIVATE KEY-----" (PKCS#8, WeChat's apiclient_key.pem),
  "-----BEGIN RSA PRIVATE KEY-----" (PKCS#1), "-----BEGIN PUBLIC KEY-----" (WeChat's
  "微信支付公钥" pub_key.pem), "-----BEGIN CERTIFICATE-----" (a WeChat platform
  certificate: its public key is used);
- bare base64 of the DER, as Alipay's key tool and open platform show them (the app
  private key in PKCS#8 or PKCS#1, the Alipay public key as SubjectPublicKeyInfo).
"""

from __future__ import annotations

import base64
import binascii

from cryptography import x509
from cryptography.exceptions import InvalidSignature as _CryptoInvalidSignature
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers.aead import AESGCM


class KeyConfigError(ValueError):
    """A configured key that cannot be read (raised at start-up, never for a request)."""


def _der(text: str) -> bytes:
    try:
        return base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise KeyConfigError("not PEM and not base64") from exc


def load_private_key(text: str) -> rsa.RSAPrivateKey:
    text = text.strip()
    try:
        if "-----BEGIN" in text:
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            key = serialization.load_der_private_key(_der(text), password=None)
    except (ValueError, TypeError) as exc:
        raise KeyConfigError(f"cannot read the private key: {exc}") from exc
    if not isinstance(key, rsa.RSAPrivateKey):
        raise KeyConfigError("the private key is not an RSA key")
    return key


def load_public_key(text: str) -> rsa.RSAPublicKey:
    text = text.strip()
    try:
        if "-----BEGIN CERTIFICATE-----" in text:
            key = x509.load_pem_x509_certificate(text.encode()).public_key()
        elif "-----BEGIN" in text:
            key = serialization.load_pem_public_key(text.encode())
        else:
            key = serialization.load_der_public_key(_der(text))
    except (ValueError, TypeError) as exc:
        raise KeyConfigError(f"cannot read the public key: {exc}") from exc
    if not isinstance(key, rsa.RSAPublicKey):
        raise KeyConfigError("the public key is not an RSA key")
    return key


def rsa_sha256_sign(key: rsa.RSAPrivateKey, message: bytes) -> str:
    """base64(RSA-SHA256 PKCS#1 v1.5 signature of `message`)."""
    return base64.b64encode(key.sign(message, padding.PKCS1v15(), hashes.SHA256())).decode()


def rsa_sha256_verify(key: rsa.RSAPublicKey, message: bytes, signature_b64: str) -> bool:
    try:
        signature = base64.b64decode(signature_b64, validate=True)
    except (binascii.Error, ValueError):
        return False
    try:
        key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    except _CryptoInvalidSignature:
        return False
    return True


def aes_256_gcm_decrypt(key: bytes, nonce: str, associated_data: str,
                        ciphertext_b64: str) -> bytes:
    """WeChat Pay v3 resource decryption; raises ValueError when it does not decrypt
    (wrong APIv3 key, altered ciphertext, nonce or associated data)."""
    try:
        data = base64.b64decode(ciphertext_b64, validate=True)
        return AESGCM(key).decrypt(nonce.encode(), data, associated_data.encode() or None)
    except (binascii.Error, InvalidTag, ValueError) as exc:
        raise ValueError("the resource does not decrypt with the APIv3 key") from exc


def aes_256_gcm_encrypt(key: bytes, nonce: str, associated_data: str,
                        plaintext: bytes) -> str:
    """The inverse of `aes_256_gcm_decrypt` (for fakes and tests)."""
    data = AESGCM(key).encrypt(nonce.encode(), plaintext, associated_data.encode() or None)
    return base64.b64encode(data).decode()
