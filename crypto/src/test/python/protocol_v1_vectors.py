#!/usr/bin/env python3
"""An independent implementation of docs/protocol.md v1 in Python, used to make the interop vectors the Java tests check.

It follows docs/protocol.md line by line with the `cryptography` package (Ed25519, X25519, HKDF, AES-GCM) and writes
../resources/vectors/protocol-v1.json: every to-be-signed string, commitment, ciphertext, sealed key and signature
made from fixed inputs (fixed keys, salts, nonces and HPKE ephemeral seeds), so the bytes are reproducible, holder
requests signed for the gateway over HTTP (section 16), write grants and consent requests (section 6a), a re-key
(section 6b), a key backup (section 17, Argon2id from argon2-cffi), and the delivery events a consumer must judge,
genuine and forged, each with the outcome its client's checks must reach (section 8).

It needs Debian's python3-cryptography and python3-argon2, so run it with Debian's interpreter:
Run: /usr/bin/python3 protocol_v1_vectors.py > ../resources/vectors/protocol-v1.json
"""
import base64
import hashlib
import json
import struct
from urllib.parse import urlsplit

from argon2.low_level import Type, hash_secret_raw
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hmac import HMAC
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat


def lp(x):
    if isinstance(x, str):
        x = x.encode("utf-8")
    return struct.pack(">I", len(x)) + x


def u32(n):
    return struct.pack(">I", n)


def u64(n):
    return struct.pack(">q", n)


def H(x):
    return hashlib.sha256(x).digest()


def srt(names):
    return sorted(names, key=lambda s: s.encode("utf-8"))


def hkdf_extract(salt, ikm):
    h = HMAC(salt if salt else b"\x00" * 32, hashes.SHA256())
    h.update(ikm)
    return h.finalize()


def hkdf_expand(prk, info, length):
    out, t, i = b"", b"", 1
    while len(out) < length:
        h = HMAC(prk, hashes.SHA256())
        h.update(t + info + bytes([i]))
        t = h.finalize()
        out += t
        i += 1
    return out[:length]


# ---- HPKE, RFC 9180: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, mode_base ----
KEM_ID = b"KEM" + b"\x00\x20"
SUITE_ID = b"HPKE" + b"\x00\x20\x00\x01\x00\x01"


def labeled_extract(suite, salt, label, ikm):
    return hkdf_extract(salt, b"HPKE-v1" + suite + label + ikm)


def labeled_expand(suite, prk, label, info, length):
    return hkdf_expand(prk, struct.pack(">H", length) + b"HPKE-v1" + suite + label + info, length)


def raw_public(private_key):
    return private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)


def hpke_seal(pk_r, info, aad, pt, ikm_e):
    sk_e_bytes = labeled_expand(KEM_ID, labeled_extract(KEM_ID, b"", b"dkp_prk", ikm_e), b"sk", b"", 32)
    sk_e = X25519PrivateKey.from_private_bytes(sk_e_bytes)
    enc = raw_public(sk_e)
    dh = sk_e.exchange(X25519PublicKey.from_public_bytes(pk_r))
    eae_prk = labeled_extract(KEM_ID, b"", b"eae_prk", dh)
    shared = labeled_expand(KEM_ID, eae_prk, b"shared_secret", enc + pk_r, 32)
    psk_id_hash = labeled_extract(SUITE_ID, b"", b"psk_id_hash", b"")
    info_hash = labeled_extract(SUITE_ID, b"", b"info_hash", info)
    context = b"\x00" + psk_id_hash + info_hash
    secret = labeled_extract(SUITE_ID, shared, b"secret", b"")
    key = labeled_expand(SUITE_ID, secret, b"key", context, 16)
    nonce = labeled_expand(SUITE_ID, secret, b"base_nonce", context, 12)
    return enc, AESGCM(key).encrypt(nonce, pt, aad)


def seed(label, n=32):
    """Fixed bytes for a named input, so the vectors are reproducible."""
    return hashlib.sha256(b"idstream test vector " + label.encode()).digest()[:n]


hexs = lambda b: b.hex()

# ---- keys ----
RFC8032_TEST1 = bytes.fromhex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
RFC8032_TEST2 = bytes.fromhex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb")
issuer_sign = Ed25519PrivateKey.from_private_bytes(RFC8032_TEST1)
holder_sign = Ed25519PrivateKey.from_private_bytes(RFC8032_TEST2)
consumer_sign = Ed25519PrivateKey.from_private_bytes(seed("consumer signing"))
operator_sign = Ed25519PrivateKey.from_private_bytes(seed("operator signing"))
holder_enc = X25519PrivateKey.from_private_bytes(seed("holder encryption"))
consumer_enc = X25519PrivateKey.from_private_bytes(seed("consumer encryption"))

# ---- section 4: credential ----
credential_id = "6f1c2a4e-0d3b-4e5f-9a8b-7c6d5e4f3a2b"
holder_id, issuer_id, consumer_id = "alice", "kyc-co", "exchange-a"
ctype, issued_at, expires_at = "kyc", 1700000000000, 1731536000000
values = {"full_name": "Alice Ëxample", "country": "DE", "age_over_18": "true", "kyc_level": "2"}
K = seed("credential key")

fields = []
for name in srt(values):
    salt = seed("salt " + name, 16)
    value = values[name]
    commitment = H(lp("idstream/v1/commitment") + lp(credential_id) + lp(name) + lp(salt) + lp(value))
    field_key = hkdf_expand(hkdf_extract(credential_id.encode(), K), lp("idstream/v1/field-key") + lp(name), 32)
    nonce = seed("nonce " + name, 12)
    aad = lp("idstream/v1/field") + lp(credential_id) + lp(name)
    ciphertext = nonce + AESGCM(field_key).encrypt(nonce, salt + value.encode("utf-8"), aad)
    fields.append({"name": name, "value": value, "salt": hexs(salt), "nonce": hexs(nonce),
                   "commitment": hexs(commitment), "fieldKey": hexs(field_key), "ciphertext": hexs(ciphertext)})

holder_key_ikm = seed("holder key ephemeral")
holder_key_enc, holder_key_ct = hpke_seal(raw_public(holder_enc), b"idstream/v1/holder-key",
                                          lp(credential_id) + lp(holder_id), K, holder_key_ikm)
credential_tbs = (lp("idstream/v1/credential") + lp(credential_id) + lp(holder_id) + lp(issuer_id) + lp(ctype)
                  + u64(issued_at) + u64(expires_at) + u32(len(fields))
                  + b"".join(lp(f["name"]) + lp(bytes.fromhex(f["commitment"])) for f in fields))
issuer_signature = issuer_sign.sign(credential_tbs)

# ---- section 5: request ----
request_id = "2b5d4f5e-9a77-4f0e-8a52-3d1c7c1e9a10"
requested = ["country", "age_over_18"]
purpose, created_at = "onboarding", 1700000100000
request_tbs = (lp("idstream/v1/request") + lp(request_id) + lp(consumer_id) + lp(holder_id) + lp(ctype) + lp("")
               + lp(purpose) + u64(created_at) + u32(len(requested)) + b"".join(lp(n) for n in srt(requested)))

# ---- section 6: grant ----
grant_id = "9e8d7c6b-5a49-4837-8261-5f4e3d2c1b0a"
granted = srt(["country", "age_over_18", "kyc_level"])
grant_issued, not_before, grant_expires, max_uses = 1700000099000, 1700000100000, 1702592100000, 5
key_by_name = {f["name"]: bytes.fromhex(f["fieldKey"]) for f in fields}
key_package = u32(len(granted)) + b"".join(lp(n) + key_by_name[n] for n in granted)
grant_ikm = seed("grant keys ephemeral")
keys_enc, keys_ct = hpke_seal(raw_public(consumer_enc), b"idstream/v1/grant-keys",
                              lp(grant_id) + lp(credential_id) + lp(consumer_id), key_package, grant_ikm)
grant_tbs = (lp("idstream/v1/grant") + lp(grant_id) + lp(holder_id) + lp(consumer_id) + lp(credential_id)
             + lp(request_id) + lp(purpose) + u64(grant_issued)
             + u64(not_before) + u64(grant_expires) + u32(max_uses)
             + u32(len(granted)) + b"".join(lp(n) for n in granted) + lp(H(lp(keys_enc) + lp(keys_ct))))

deny_tbs = lp("idstream/v1/deny") + lp(request_id) + lp(holder_id) + u64(1700000200000)
revoke_tbs = lp("idstream/v1/revoke") + lp(grant_id) + lp(holder_id) + u64(1700000300000)
erase_tbs = lp("idstream/v1/erase") + lp(credential_id) + lp(holder_id) + u64(1700000400000)
credential_revoke_tbs = (lp("idstream/v1/credential-revoke") + lp(credential_id) + lp(issuer_id)
                         + lp("document reported stolen") + u64(1700000500000))

# ---- section 7 ----
principal_tbs = (lp("idstream/v1/principal") + lp(holder_id) + lp("holder") + lp(raw_public(holder_sign))
                 + lp(raw_public(holder_enc)) + lp("Alice") + u64(1699999999000))
accredit_tbs = (lp("idstream/v1/accredit") + lp(issuer_id) + lp("issuer") + lp(raw_public(issuer_sign))
                + u64(1699999999500))
withdraw_tbs = (lp("idstream/v1/withdraw") + lp(issuer_id) + lp("issuer") + lp(raw_public(issuer_sign))
                + u64(1700000600000))

# ---- section 6a: a consent request and the write grant that answers it, then its revocation ----
consent_request_id = "3c2b1a09-8f7e-4d6c-9b5a-493827160f1e"
write_grant_id = "7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d"
# sorted by UTF-8 bytes (code points), not UTF-16 units: "é" (c3 a9) after ASCII, fullwidth "ｋ" (U+FF4B, ef bd 8b)
# before script "𝒦" (U+1D4A6, f0 9d 92 a6), which a sort by UTF-16 units would put first (d835 < ff4b)
write_types = srt(["kyc", "état-civil", "address", "\U0001d4a6yc", "\uff4b\uff59\uff43"])
consent_purpose, consent_created = "to issue your KYC credential", 1700000800000
consent_tbs = (lp("idstream/v1/consent-request") + lp(consent_request_id) + lp(issuer_id) + lp(holder_id)
               + lp(consent_purpose) + u64(consent_created)
               + u32(len(write_types)) + b"".join(lp(t) for t in write_types))
write_grant_issued, write_grant_expires = 1700000900000, 1731536000000
write_grant_tbs = (lp("idstream/v1/write-grant") + lp(write_grant_id) + lp(holder_id) + lp(issuer_id)
                   + lp(consent_request_id) + u64(write_grant_issued) + u64(write_grant_expires)
                   + u32(len(write_types)) + b"".join(lp(t) for t in write_types))
write_grant_revoked = 1700001000000
write_grant_revoke_tbs = (lp("idstream/v1/write-grant-revoke") + lp(write_grant_id) + lp(holder_id)
                          + u64(write_grant_revoked))

# ---- section 6b: the holder rotates its keys and re-seals the credential key K to its new encryption key ----
holder_rotated_sign = Ed25519PrivateKey.from_private_bytes(seed("holder rotated signing"))
holder_rotated_enc = X25519PrivateKey.from_private_bytes(seed("holder rotated encryption"))
rekey_ikm = seed("rekey ephemeral")
rekey_enc, rekey_ct = hpke_seal(raw_public(holder_rotated_enc), b"idstream/v1/holder-key",
                                lp(credential_id) + lp(holder_id), K, rekey_ikm)
rekeyed_at = 1700001100000
rekey_tbs = (lp("idstream/v1/rekey") + lp(credential_id) + lp(holder_id) + lp(raw_public(holder_rotated_enc))
             + lp(H(lp(rekey_enc) + lp(rekey_ct))) + u64(rekeyed_at))

# ---- section 17: the holder's keys sealed under a passphrase (Argon2id, AES-256-GCM) ----
backup_passphrase = "Ünïcode passphrase, not normalized"
backup_salt, backup_nonce = seed("backup salt", 16), seed("backup nonce", 12)
backup_memory, backup_iterations, backup_parallelism = 65536, 3, 4
backup_created = 1700001200000
backup_header = (lp("idstream/v1/backup") + lp(holder_id) + lp("holder") + u32(backup_memory)
                 + u32(backup_iterations) + u32(backup_parallelism) + lp(backup_salt) + u64(backup_created))
backup_key = hash_secret_raw(backup_passphrase.encode("utf-8"), backup_salt, time_cost=backup_iterations,
                             memory_cost=backup_memory, parallelism=backup_parallelism, hash_len=32, type=Type.ID,
                             version=19)
backup_plaintext = lp(RFC8032_TEST2) + lp(seed("holder encryption"))
backup = backup_header + backup_nonce + AESGCM(backup_key).encrypt(backup_nonce, backup_plaintext, backup_header)
backup_b64 = base64.b64encode(backup).decode("ascii")
backup_armored = ("-----BEGIN IDSTREAM BACKUP-----\n"
                  + "".join(backup_b64[i:i + 64] + "\n" for i in range(0, len(backup_b64), 64))
                  + "-----END IDSTREAM BACKUP-----\n")


# ---- section 16: a holder's request over HTTP (RFC 9421 signature, RFC 9530 Content-Digest) ----
def sf_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def target_uri(uri):
    parts = urlsplit(uri)
    scheme, host, port = parts.scheme.lower(), parts.hostname.lower(), parts.port
    if ":" in host:
        host = "[" + host + "]"  # urlsplit drops an IPv6 literal's brackets; the authority keeps them
    default_port = port is None or (scheme, port) in (("http", 80), ("https", 443))
    authority = host if default_port else host + ":" + str(port)
    query = "?" + parts.query if "?" in uri.split("#")[0] else ""
    return scheme + "://" + authority + (parts.path or "/") + query


def http_request(method, uri, body, created, nonce):
    components = [("@method", method), ("@target-uri", target_uri(uri))]
    content_digest = None
    if body:
        content_digest = "sha-256=:" + base64.b64encode(H(body)).decode("ascii") + ":"
        components.append(("content-digest", content_digest))
    params = ("(" + " ".join(sf_string(name) for name, _ in components) + ")" + ";created=" + str(created)
              + ";nonce=" + sf_string(nonce) + ";keyid=" + sf_string(holder_id) + ";alg=" + sf_string("ed25519"))
    base = "".join('"' + name + '": ' + value + "\n" for name, value in components) + '"@signature-params": ' + params
    signature = holder_sign.sign(base.encode("ascii"))
    return {"method": method, "targetUri": uri, "body": None if body is None else body.decode("utf-8"),
            "created": created, "nonce": nonce, "contentDigest": content_digest, "signatureBase": base,
            "signatureInput": "sig1=" + params, "signature": "sig1=:" + base64.b64encode(signature).decode("ascii") + ":"}


def http_nonce(label):
    return base64.urlsafe_b64encode(seed(label, 16)).decode("ascii").rstrip("=")


http_get = http_request("GET", "HTTPS://Gateway.Example:443/v1/holders/alice/audit?after=-1&limit=50", None,
                        1700000700, http_nonce("http nonce get"))
http_post = http_request("POST", "https://gateway.example:8443/v1/holders",
                         '{"id":"alice","role":"holder","displayName":"Alice Ëxample"}'.encode("utf-8"),
                         1700000701, http_nonce("http nonce post"))
# An IPv6 literal keeps its brackets; a host name's trailing dot is kept as sent
http_ipv6 = http_request("GET", "https://[::1]:8443/v1/holders/alice/inbox", None, 1700000702,
                         http_nonce("http nonce ipv6"))
http_trailing_dot = http_request("GET", "https://Gateway.Example.:8443/v1/holders/alice/inbox", None, 1700000703,
                                 http_nonce("http nonce trailing dot"))

disclosed = srt(requested)
by_name = {f["name"]: f for f in fields}
out = {
    "keys": {
        "issuerSigningPrivate": hexs(RFC8032_TEST1), "issuerSigningPublic": hexs(raw_public(issuer_sign)),
        "holderSigningPrivate": hexs(RFC8032_TEST2), "holderSigningPublic": hexs(raw_public(holder_sign)),
        "consumerSigningPrivate": hexs(seed("consumer signing")),
        "consumerSigningPublic": hexs(raw_public(consumer_sign)),
        "operatorSigningPrivate": hexs(seed("operator signing")),
        "operatorSigningPublic": hexs(raw_public(operator_sign)),
        "holderEncryptionPrivate": hexs(seed("holder encryption")),
        "holderEncryptionPublic": hexs(raw_public(holder_enc)),
        "consumerEncryptionPrivate": hexs(seed("consumer encryption")),
        "consumerEncryptionPublic": hexs(raw_public(consumer_enc)),
        "holderRotatedSigningPrivate": hexs(seed("holder rotated signing")),
        "holderRotatedSigningPublic": hexs(raw_public(holder_rotated_sign)),
        "holderRotatedEncryptionPrivate": hexs(seed("holder rotated encryption")),
        "holderRotatedEncryptionPublic": hexs(raw_public(holder_rotated_enc)),
    },
    "credential": {
        "credentialId": credential_id, "holderId": holder_id, "issuerId": issuer_id, "type": ctype,
        "issuedAt": issued_at, "expiresAt": expires_at, "credentialKey": hexs(K), "fields": fields,
        "holderKeyIkmE": hexs(holder_key_ikm), "holderKeyEnc": hexs(holder_key_enc),
        "holderKeyCiphertext": hexs(holder_key_ct),
        "tbs": hexs(credential_tbs), "issuerSignature": hexs(issuer_signature),
    },
    "request": {
        "requestId": request_id, "consumerId": consumer_id, "holderId": holder_id, "credentialType": ctype,
        "credentialId": "", "purpose": purpose, "createdAt": created_at, "fields": requested,
        "tbs": hexs(request_tbs), "signature": hexs(consumer_sign.sign(request_tbs)),
    },
    "grant": {
        "grantId": grant_id, "holderId": holder_id, "consumerId": consumer_id, "credentialId": credential_id,
        "requestId": request_id, "purpose": purpose, "issuedAt": grant_issued, "notBefore": not_before,
        "expiresAt": grant_expires,
        "maxUses": max_uses, "fields": granted, "keyPackage": hexs(key_package), "keysIkmE": hexs(grant_ikm),
        "keysEnc": hexs(keys_enc), "keysCiphertext": hexs(keys_ct),
        "tbs": hexs(grant_tbs), "signature": hexs(holder_sign.sign(grant_tbs)),
    },
    "deny": {"requestId": request_id, "holderId": holder_id, "decidedAt": 1700000200000,
             "tbs": hexs(deny_tbs), "signature": hexs(holder_sign.sign(deny_tbs))},
    "revoke": {"grantId": grant_id, "holderId": holder_id, "revokedAt": 1700000300000,
               "tbs": hexs(revoke_tbs), "signature": hexs(holder_sign.sign(revoke_tbs))},
    "erase": {"credentialId": credential_id, "holderId": holder_id, "erasedAt": 1700000400000,
              "tbs": hexs(erase_tbs), "signature": hexs(holder_sign.sign(erase_tbs))},
    "credentialRevoke": {"credentialId": credential_id, "issuerId": issuer_id, "reason": "document reported stolen",
                         "revokedAt": 1700000500000, "tbs": hexs(credential_revoke_tbs),
                         "signature": hexs(issuer_sign.sign(credential_revoke_tbs))},
    "principal": {"id": holder_id, "role": "holder", "displayName": "Alice", "registeredAt": 1699999999000,
                  "tbs": hexs(principal_tbs), "signature": hexs(holder_sign.sign(principal_tbs))},
    "accreditation": {"id": issuer_id, "role": "issuer", "accreditedAt": 1699999999500,
                      "tbs": hexs(accredit_tbs), "signature": hexs(operator_sign.sign(accredit_tbs))},
    "withdrawal": {"id": issuer_id, "role": "issuer", "withdrawnAt": 1700000600000,
                   "tbs": hexs(withdraw_tbs), "signature": hexs(operator_sign.sign(withdraw_tbs))},
    "delivery": {
        "requestId": request_id, "deliveredAt": 1700000100500,
        "disclosed": [{"name": n, "ciphertext": by_name[n]["ciphertext"]} for n in disclosed],
        "values": {n: values[n] for n in disclosed},
    },
    "httpSignature": {"keyId": holder_id, "label": "sig1", "get": http_get, "post": http_post, "ipv6": http_ipv6,
                      "trailingDot": http_trailing_dot},
    "consentRequest": {"consentRequestId": consent_request_id, "issuerId": issuer_id, "holderId": holder_id,
                       "credentialTypes": write_types, "purpose": consent_purpose, "createdAt": consent_created,
                       "tbs": hexs(consent_tbs), "signature": hexs(issuer_sign.sign(consent_tbs))},
    "writeGrant": {"writeGrantId": write_grant_id, "holderId": holder_id, "issuerId": issuer_id,
                   "consentRequestId": consent_request_id, "credentialTypes": write_types,
                   "issuedAt": write_grant_issued, "expiresAt": write_grant_expires,
                   "tbs": hexs(write_grant_tbs), "signature": hexs(holder_sign.sign(write_grant_tbs))},
    "writeGrantRevoke": {"writeGrantId": write_grant_id, "holderId": holder_id, "revokedAt": write_grant_revoked,
                         "tbs": hexs(write_grant_revoke_tbs),
                         "signature": hexs(holder_sign.sign(write_grant_revoke_tbs))},
    "rekey": {"credentialId": credential_id, "holderId": holder_id,
              "encryptionKey": hexs(raw_public(holder_rotated_enc)), "credentialKey": hexs(K),
              "holderKeyIkmE": hexs(rekey_ikm), "holderKeyEnc": hexs(rekey_enc), "holderKeyCiphertext": hexs(rekey_ct),
              "rekeyedAt": rekeyed_at, "tbs": hexs(rekey_tbs), "signature": hexs(holder_rotated_sign.sign(rekey_tbs))},
    "backup": {"passphrase": backup_passphrase, "principalId": holder_id, "role": "holder",
               "salt": hexs(backup_salt), "nonce": hexs(backup_nonce),
               "params": {"memoryKiB": backup_memory, "iterations": backup_iterations,
                          "parallelism": backup_parallelism},
               "createdAt": backup_created, "key": hexs(backup_key), "header": hexs(backup_header),
               "backup": hexs(backup), "armored": backup_armored},
}


# ---- section 8: what a consumer's client decides of each event on its delivery topic ----
# The genuine delivery answers `request` with `grant`; each forgery changes it in one way, or is made anew with the
# keys of the parties it needs (a second consumer, an operator the consumer does not pin, an issuer nobody accredited).
def uuid_of(label):
    h = seed("uuid " + label, 16).hex()
    return "-".join([h[0:8], h[8:12], h[12:16], h[16:20], h[20:32]])


def flip(hex_bytes, index):
    b = bytearray(bytes.fromhex(hex_bytes))
    b[index] ^= 0x01
    return b.hex()


issuer_enc = X25519PrivateKey.from_private_bytes(seed("issuer encryption"))
exchange_b_id = "exchange-b"
exchange_b_sign = Ed25519PrivateKey.from_private_bytes(seed("exchange-b signing"))
exchange_b_enc = X25519PrivateKey.from_private_bytes(seed("exchange-b encryption"))
unpinned_operator = Ed25519PrivateKey.from_private_bytes(seed("unpinned operator signing"))
forge_id = "forge-co"
forge_sign = Ed25519PrivateKey.from_private_bytes(seed("forge-co signing"))
forge_enc = X25519PrivateKey.from_private_bytes(seed("forge-co encryption"))
issuer_rotated_sign = Ed25519PrivateKey.from_private_bytes(seed("issuer rotated signing"))


def registration(pid, role, signing_key, encryption_key, display_name, registered_at, signed_by=None):
    tbs = (lp("idstream/v1/principal") + lp(pid) + lp(role) + lp(raw_public(signing_key))
           + lp(raw_public(encryption_key)) + lp(display_name) + u64(registered_at))
    return {"id": pid, "role": role, "signingKey": hexs(raw_public(signing_key)),
            "encryptionKey": hexs(raw_public(encryption_key)), "displayName": display_name,
            "registeredAt": registered_at, "signature": hexs((signed_by or signing_key).sign(tbs))}


def accreditation_of(pid, role, signing_public, accredited_at, operator):
    tbs = lp("idstream/v1/accredit") + lp(pid) + lp(role) + lp(signing_public) + u64(accredited_at)
    return {"id": pid, "role": role, "signingKey": hexs(signing_public), "accreditedAt": accredited_at,
            "operatorKey": hexs(raw_public(operator)), "signature": hexs(operator.sign(tbs))}


def withdrawal_of(pid, role, signing_public, withdrawn_at, operator):
    tbs = lp("idstream/v1/withdraw") + lp(pid) + lp(role) + lp(signing_public) + u64(withdrawn_at)
    return {"id": pid, "role": role, "signingKey": hexs(signing_public), "withdrawnAt": withdrawn_at,
            "operatorKey": hexs(raw_public(operator)), "signature": hexs(operator.sign(tbs))}


def verified(principal, accreditation=None, withdrawal=None, previous_keys=()):
    """The entry as the processors publish it, verified a second after its latest change."""
    changes = [principal["registeredAt"], accreditation["accreditedAt"] if accreditation else 0,
               withdrawal["withdrawnAt"] if withdrawal else 0]
    return {"principal": principal, "accreditation": accreditation, "verifiedAt": max(changes) + 1000,
            "withdrawal": withdrawal, "latestAccreditedAt": accreditation["accreditedAt"] if accreditation else 0,
            "previousKeys": list(previous_keys)}


issuer_registered_at = 1699999998000
issuer_principal = registration(issuer_id, "issuer", issuer_sign, issuer_enc, "KYC Co", issuer_registered_at)
issuer_accreditation = {"id": issuer_id, "role": "issuer", "signingKey": hexs(raw_public(issuer_sign)),
                        "accreditedAt": 1699999999500, "operatorKey": hexs(raw_public(operator_sign)),
                        "signature": out["accreditation"]["signature"]}
issuer_withdrawal = {"id": issuer_id, "role": "issuer", "signingKey": hexs(raw_public(issuer_sign)),
                     "withdrawnAt": 1700000600000, "operatorKey": hexs(raw_public(operator_sign)),
                     "signature": out["withdrawal"]["signature"]}
holder_principal = {"id": holder_id, "role": "holder", "signingKey": hexs(raw_public(holder_sign)),
                    "encryptionKey": hexs(raw_public(holder_enc)), "displayName": "Alice",
                    "registeredAt": 1699999999000, "signature": out["principal"]["signature"]}
directory = [
    verified(issuer_principal, issuer_accreditation),
    verified(holder_principal),
    verified(registration(consumer_id, "consumer", consumer_sign, consumer_enc, "Exchange A", 1699999998500)),
    verified(registration(exchange_b_id, "consumer", exchange_b_sign, exchange_b_enc, "Exchange B", 1699999998600)),
    verified(registration(forge_id, "issuer", forge_sign, forge_enc, "Forge Co", 1699999998700)),
]


def issuer_entry(accreditation=issuer_accreditation, withdrawal=None):
    return verified(issuer_principal, accreditation, withdrawal)


def rotated_issuer(rotated_at, previous_accreditation):
    """kyc-co after it rotated its signing key at `rotated_at` (the registration signed by the key it replaces,
    section 7), accredited again under the new key; `previous_accreditation` is the replaced key's, or None."""
    principal = registration(issuer_id, "issuer", issuer_rotated_sign, issuer_enc, "KYC Co", rotated_at,
                             signed_by=issuer_sign)
    accreditation = accreditation_of(issuer_id, "issuer", raw_public(issuer_rotated_sign), rotated_at + 500,
                                     operator_sign)
    previous = {"signingKey": hexs(raw_public(issuer_sign)), "registeredAt": issuer_registered_at,
                "replacedAt": rotated_at, "accreditation": previous_accreditation}
    return verified(principal, accreditation, previous_keys=[previous])


never_sent_id = uuid_of("request never sent")
other_holder_request_id = uuid_of("request to another holder")
other_purpose_request_id = uuid_of("request for another purpose")
fewer_fields_request_id = uuid_of("request for fewer fields")
requests = [
    {"requestId": request_id, "holderId": holder_id, "credentialType": ctype, "credentialId": "",
     "purpose": purpose, "fields": srt(requested)},
    {"requestId": other_holder_request_id, "holderId": "bob", "credentialType": ctype, "credentialId": "",
     "purpose": purpose, "fields": srt(requested)},
    {"requestId": other_purpose_request_id, "holderId": holder_id, "credentialType": ctype, "credentialId": "",
     "purpose": "marketing", "fields": srt(requested)},
    {"requestId": fewer_fields_request_id, "holderId": holder_id, "credentialType": ctype, "credentialId": "",
     "purpose": purpose, "fields": ["country"]},
]


def grant_terms(grant_for, package, seal_to, ikm_label, grant_id_=grant_id, enc_cut=None):
    """Grant terms the holder signs for `grant_for`, the key package sealed to the public key `seal_to`."""
    enc, ct = hpke_seal(seal_to, b"idstream/v1/grant-keys", lp(grant_id_) + lp(credential_id) + lp(grant_for),
                        package, seed(ikm_label))
    if enc_cut is not None:
        enc = enc[:enc_cut]
    tbs = (lp("idstream/v1/grant") + lp(grant_id_) + lp(holder_id) + lp(grant_for) + lp(credential_id)
           + lp(request_id) + lp(purpose) + u64(grant_issued) + u64(not_before) + u64(grant_expires)
           + u32(max_uses) + u32(len(granted)) + b"".join(lp(n) for n in granted) + lp(H(lp(enc) + lp(ct))))
    return {"grantId": grant_id_, "requestId": request_id, "purpose": purpose, "issuedAt": grant_issued,
            "fields": granted, "notBefore": not_before, "expiresAt": grant_expires, "maxUses": max_uses,
            "keysEnc": hexs(enc), "keysCiphertext": hexs(ct), "holderSignature": hexs(holder_sign.sign(tbs))}


def package_of(names):
    return u32(len(names)) + b"".join(lp(n) + key_by_name[n] for n in srt(names))


genuine = {
    "requestId": request_id, "consumerId": consumer_id, "holderId": holder_id, "issuerId": issuer_id,
    "credentialId": credential_id, "type": ctype, "issuedAt": issued_at, "expiresAt": expires_at,
    "commitments": [{"name": f["name"], "commitment": f["commitment"]} for f in fields],
    "disclosed": out["delivery"]["disclosed"],
    "issuerSignature": hexs(issuer_signature),
    "grant": {"grantId": grant_id, "requestId": request_id, "purpose": purpose, "issuedAt": grant_issued,
              "fields": granted, "notBefore": not_before, "expiresAt": grant_expires, "maxUses": max_uses,
              "keysEnc": hexs(keys_enc), "keysCiphertext": hexs(keys_ct),
              "holderSignature": out["grant"]["signature"]},
    "deliveredAt": out["delivery"]["deliveredAt"],
}


def delivery(change=None, **fields_):
    d = json.loads(json.dumps(genuine))
    d.update(fields_)
    if change:
        change(d)
    return {"CredentialDelivery": d}


def setter(path, value):
    def change(d):
        target = d
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value(target[path[-1]]) if callable(value) else value
    return change


def disclosed_index(d, name):
    return next(i for i, f in enumerate(d["disclosed"]) if f["name"] == name)


def commitment_index(d, name):
    return next(i for i, c in enumerate(d["commitments"]) if c["name"] == name)


def swap_first_commitments(d):
    d["commitments"][0], d["commitments"][1] = d["commitments"][1], d["commitments"][0]


def cut_commitment(d):
    c = d["commitments"][commitment_index(d, "full_name")]
    c["commitment"] = c["commitment"][:62]


def srt_fields(items):
    return sorted(items, key=lambda f: f["name"].encode("utf-8"))


def disclose_ungranted(d):
    extra = {"name": "full_name", "ciphertext": by_name["full_name"]["ciphertext"]}
    d["disclosed"] = srt_fields(d["disclosed"] + [extra])


def grant_uncommitted(d):
    d["grant"]["fields"] = srt(d["grant"]["fields"] + ["nationality"])


def disclose_out_of_order(d):
    d["disclosed"].reverse()


def flip_undisclosed_commitment(d):
    c = d["commitments"][commitment_index(d, "full_name")]
    c["commitment"] = flip(c["commitment"], 5)


def flip_ciphertext(d):
    f = d["disclosed"][disclosed_index(d, "country")]
    f["ciphertext"] = flip(f["ciphertext"], 30)


def cut_ciphertext(d):
    f = d["disclosed"][disclosed_index(d, "country")]
    f["ciphertext"] = f["ciphertext"][:86]


def swap_ciphertext(d):
    d["disclosed"][disclosed_index(d, "country")]["ciphertext"] = by_name["age_over_18"]["ciphertext"]


def another_value(d):
    name, value = "country", "FR"
    fresh_salt, fresh_nonce = seed("another salt " + name, 16), seed("another nonce " + name, 12)
    aad = lp("idstream/v1/field") + lp(credential_id) + lp(name)
    ciphertext = fresh_nonce + AESGCM(key_by_name[name]).encrypt(fresh_nonce, fresh_salt + value.encode("utf-8"), aad)
    d["disclosed"][disclosed_index(d, name)]["ciphertext"] = hexs(ciphertext)


consumer_enc_public = raw_public(consumer_enc)
exchange_b_enc_public = raw_public(exchange_b_enc)
grant_for_b_id = uuid_of("grant for exchange-b")
grant_for_b_sealed_to_b = grant_terms(exchange_b_id, key_package, exchange_b_enc_public, "grant keys for exchange-b",
                                      grant_id_=grant_for_b_id)
grant_for_b_sealed_to_a = grant_terms(exchange_b_id, key_package, consumer_enc_public,
                                      "grant keys for exchange-b sealed to exchange-a", grant_id_=grant_for_b_id)
grant_missing_key = grant_terms(consumer_id, package_of(["age_over_18", "country"]), consumer_enc_public,
                                "grant keys missing one")
grant_extra_key = grant_terms(consumer_id, package_of(granted + ["full_name"]), consumer_enc_public,
                              "grant keys with one more")
grant_trailing = grant_terms(consumer_id, key_package + b"\x00", consumer_enc_public, "grant keys trailing bytes")
grant_short_enc = grant_terms(consumer_id, key_package, consumer_enc_public, "grant keys short enc", enc_cut=31)

denial_of = lambda rid: lp("idstream/v1/deny") + lp(rid) + lp(holder_id) + u64(1700000200000)
deny_statement = {"Denial": {"requestId": request_id, "holderId": holder_id, "decidedAt": 1700000200000,
                             "signature": out["deny"]["signature"]}}
deny_flipped = {"Denial": dict(deny_statement["Denial"], signature=flip(out["deny"]["signature"], 0))}
deny_other = {"Denial": {"requestId": other_purpose_request_id, "holderId": holder_id, "decidedAt": 1700000200000,
                         "signature": hexs(holder_sign.sign(denial_of(other_purpose_request_id)))}}
deny_never_sent = {"Denial": {"requestId": never_sent_id, "holderId": holder_id, "decidedAt": 1700000200000,
                              "signature": hexs(holder_sign.sign(denial_of(never_sent_id)))}}
revoke_statement = {"Revocation": {"grantId": grant_id, "holderId": holder_id, "revokedAt": 1700000300000,
                                   "signature": out["revoke"]["signature"]}}
credential_revoke_statement = {"CredentialRevoked": {
    "credentialId": credential_id, "holderId": holder_id, "issuerId": issuer_id, "reason": "document reported stolen",
    "revokedAt": 1700000500000, "signature": out["credentialRevoke"]["signature"]}}
forged_revoke_tbs = (lp("idstream/v1/credential-revoke") + lp(credential_id) + lp(forge_id)
                     + lp("document reported stolen") + u64(1700000500000))
forged_revoke_statement = {"CredentialRevoked": dict(credential_revoke_statement["CredentialRevoked"], issuerId=forge_id,
                                                     signature=hexs(forge_sign.sign(forged_revoke_tbs)))}


def notice(kind, reason, at, statement=None, request="", grant="", credential=""):
    return {"ConsumerNotice": {"kind": kind, "consumerId": consumer_id, "holderId": holder_id, "requestId": request,
                               "grantId": grant, "credentialId": credential, "reason": reason, "at": at,
                               "statement": statement}}


def denied(statement, request=request_id):
    return notice("DENIED", "the holder denied the request", 1700000200100, statement, request=request)


consumer_now = 1700001000000
answered_at = "idstream.deliveries." + consumer_id + "/0/7"
disclosed_values = out["delivery"]["values"]
events = [
    ("the genuine delivery", delivery(), "DELIVERED", {}),
    ("the genuine delivery read again at the position that answered its request", delivery(), "DELIVERED",
     {"position": answered_at, "answered": {request_id: answered_at}}),
    ("commitments out of order", delivery(swap_first_commitments), "STRUCTURE", {}),
    ("a commitment of 31 bytes", delivery(cut_commitment), "STRUCTURE", {}),
    ("a disclosed field that is not granted", delivery(disclose_ungranted), "STRUCTURE", {}),
    ("a granted field that is not committed", delivery(grant_uncommitted), "STRUCTURE", {}),
    ("disclosed fields out of order", delivery(disclose_out_of_order), "STRUCTURE", {}),
    ("maxUses negative", delivery(setter(["grant", "maxUses"], -1)), "STRUCTURE", {}),
    ("an issuer that is not in the directory", delivery(issuerId="unknown-co"), "STRUCTURE", {}),
    ("a byte of issuerSignature flipped", delivery(issuerSignature=flip(hexs(issuer_signature), 0)),
     "ISSUER_SIGNATURE", {}),
    ("issuedAt changed", delivery(issuedAt=issued_at + 1), "ISSUER_SIGNATURE", {}),
    ("type changed", delivery(type="kyc-plus"), "ISSUER_SIGNATURE", {}),
    ("an undisclosed field's commitment altered", delivery(flip_undisclosed_commitment), "ISSUER_SIGNATURE", {}),
    ("the credential's expiresAt changed", delivery(expiresAt=expires_at + 1000), "ISSUER_SIGNATURE", {}),
    ("a byte of holderSignature flipped",
     delivery(setter(["grant", "holderSignature"], lambda s: flip(s, 0))), "HOLDER_SIGNATURE", {}),
    ("the grant's expiresAt changed", delivery(setter(["grant", "expiresAt"], grant_expires + 1000)),
     "HOLDER_SIGNATURE", {}),
    ("the grant's purpose changed", delivery(setter(["grant", "purpose"], "marketing")), "HOLDER_SIGNATURE", {}),
    ("a byte of keysEnc flipped", delivery(setter(["grant", "keysEnc"], lambda s: flip(s, 3))),
     "HOLDER_SIGNATURE", {}),
    ("a byte of keysCiphertext flipped", delivery(setter(["grant", "keysCiphertext"], lambda s: flip(s, 3))),
     "HOLDER_SIGNATURE", {}),
    ("consumerId changed to exchange-b, the grant being signed for exchange-a", delivery(consumerId=exchange_b_id),
     "HOLDER_SIGNATURE", {}),
    ("a grant the holder signed for exchange-b, its keys sealed to exchange-b, delivered to exchange-a",
     delivery(consumerId=exchange_b_id, grant=grant_for_b_sealed_to_b), "KEY_PACKAGE", {}),
    ("a signed grant whose key package lacks a granted field's key", delivery(grant=grant_missing_key),
     "KEY_PACKAGE", {}),
    ("a signed grant whose key package holds a key for a field not granted", delivery(grant=grant_extra_key),
     "KEY_PACKAGE", {}),
    ("a signed grant whose key package has trailing bytes", delivery(grant=grant_trailing), "KEY_PACKAGE", {}),
    ("a signed grant whose keysEnc is 31 bytes", delivery(grant=grant_short_enc), "KEY_PACKAGE", {}),
    ("a byte of a disclosed ciphertext flipped", delivery(flip_ciphertext), "FIELD_DECRYPTION", {}),
    ("a disclosed ciphertext cut to 43 bytes", delivery(cut_ciphertext), "FIELD_DECRYPTION", {}),
    ("field age_over_18's ciphertext under the name country", delivery(swap_ciphertext), "FIELD_DECRYPTION", {}),
    ("a ciphertext sealed with the genuine field key over another salt and value", delivery(another_value),
     "COMMITMENT", {}),
    ("deliveredAt before the grant's notBefore", delivery(deliveredAt=not_before - 1), "GRANT_WINDOW", {}),
    ("deliveredAt at the grant's expiresAt", delivery(deliveredAt=grant_expires), "GRANT_WINDOW", {}),
    ("read when the consumer's clock is at the grant's expiresAt", delivery(), "GRANT_WINDOW",
     {"now": grant_expires}),
    ("the issuer's entry without an accreditation", delivery(), "ISSUER_ACCREDITATION",
     {"directory": [issuer_entry(accreditation=None)]}),
    ("the issuer accredited by an operator key the consumer does not pin", delivery(), "ISSUER_ACCREDITATION",
     {"directory": [issuer_entry(accreditation=accreditation_of(issuer_id, "issuer", raw_public(issuer_sign),
                                                                1699999999500, unpinned_operator))]}),
    ("the issuer's accreditation with a signature that does not verify", delivery(), "ISSUER_ACCREDITATION",
     {"directory": [issuer_entry(accreditation=dict(issuer_accreditation,
                                                    signature=flip(issuer_accreditation["signature"], 0)))]}),
    ("the issuer's accreditation naming another signing key", delivery(), "ISSUER_ACCREDITATION",
     {"directory": [issuer_entry(accreditation=accreditation_of(issuer_id, "issuer", raw_public(forge_sign),
                                                                1699999999500, operator_sign))]}),
    ("the issuer's accreditation shown with the withdrawal that withdrew it", delivery(), "ISSUER_ACCREDITATION",
     {"directory": [issuer_entry(withdrawal=issuer_withdrawal)]}),
    ("the issuer's accreditation with a withdrawal signed by an operator key the consumer does not pin",
     delivery(), "DELIVERED",
     {"directory": [issuer_entry(withdrawal=withdrawal_of(issuer_id, "issuer", raw_public(issuer_sign),
                                                          1700000600000, unpinned_operator))]}),
    ("the issuer accredited again after a withdrawal", delivery(), "DELIVERED",
     {"directory": [issuer_entry(withdrawal=issuer_withdrawal, accreditation=accreditation_of(
         issuer_id, "issuer", raw_public(issuer_sign), 1700000700000, operator_sign))]}),
    ("a credential signed by the issuer's previous key, replaced after the credential was issued", delivery(),
     "DELIVERED", {"directory": [rotated_issuer(1700000050000, issuer_accreditation)]}),
    ("a credential signed by the issuer's previous key, replaced before the credential was issued", delivery(),
     "ISSUER_SIGNATURE", {"directory": [rotated_issuer(1699999999800, issuer_accreditation)]}),
    ("a credential signed by the issuer's previous key, which no accreditation vouches for", delivery(),
     "ISSUER_SIGNATURE", {"directory": [rotated_issuer(1700000050000, None)]}),
    ("read when the consumer's clock is at the credential's expiresAt", delivery(), "CREDENTIAL_EXPIRED",
     {"now": expires_at}),
    ("the outer requestId relabelled to a request never sent", delivery(requestId=never_sent_id), "UNSOLICITED", {}),
    ("the outer requestId relabelled to a request sent to another holder",
     delivery(requestId=other_holder_request_id), "UNSOLICITED", {}),
    ("the outer requestId relabelled to a request for another purpose",
     delivery(requestId=other_purpose_request_id), "UNSOLICITED", {}),
    ("the outer requestId relabelled to a request that asked for fewer fields than are disclosed",
     delivery(requestId=fewer_fields_request_id), "UNSOLICITED", {}),
    ("a grant the holder signed for exchange-b, its keys sealed to exchange-a",
     delivery(consumerId=exchange_b_id, grant=grant_for_b_sealed_to_a), "UNSOLICITED", {}),
    ("the genuine delivery at another position than the one that answered its request", delivery(), "REPEATED",
     {"answered": {request_id: answered_at}}),
    ("a PENDING notice", notice("PENDING", "waiting for the holder's decision", 1700000100100, request=request_id),
     "NOTICE", {}),
    ("a DENIED notice with the holder's denial", denied(deny_statement), "NOTICE", {}),
    ("a DENIED notice whose denial's signature is flipped", denied(deny_flipped), "NOTICE_STATEMENT", {}),
    ("a DENIED notice without a statement", denied(None), "NOTICE_STATEMENT", {}),
    ("a DENIED notice whose denial names another request", denied(deny_other), "NOTICE_STATEMENT", {}),
    ("a DENIED notice, with the holder's denial, of a request never sent", denied(deny_never_sent, never_sent_id),
     "UNSOLICITED", {}),
    ("a REVOKED notice with the holder's revocation",
     notice("REVOKED", "the holder revoked the grant", 1700000300100, revoke_statement, grant=grant_id,
            credential=credential_id), "NOTICE", {}),
    ("a CREDENTIAL_REVOKED notice with the issuer's revocation",
     notice("CREDENTIAL_REVOKED", "document reported stolen", 1700000500100, credential_revoke_statement,
            grant=grant_id, credential=credential_id), "NOTICE", {}),
    ("a CREDENTIAL_REVOKED notice with a revocation signed by an issuer nobody accredited",
     notice("CREDENTIAL_REVOKED", "document reported stolen", 1700000500100, forged_revoke_statement,
            grant=grant_id, credential=credential_id), "NOTICE_STATEMENT", {}),
]


def event_vector(offset, name, event, outcome, extra):
    vector = {"name": name, "event": event,
              "position": extra.get("position", "idstream.deliveries." + consumer_id + "/0/" + str(offset))}
    for key in ("now", "directory", "answered"):
        if key in extra:
            vector[key] = extra[key]
    vector["outcome"] = outcome
    if outcome == "DELIVERED":
        vector["values"] = disclosed_values
    return vector


out["consumerVerification"] = {
    "consumerId": consumer_id,
    "now": consumer_now,
    "operatorKeys": [hexs(raw_public(operator_sign))],
    "directory": directory,
    "requests": requests,
    "events": [event_vector(100 + i, *e) for i, e in enumerate(events)],
}
print(json.dumps(out, indent=2, ensure_ascii=False))
