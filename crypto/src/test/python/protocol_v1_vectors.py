#!/usr/bin/env python3
"""An independent implementation of docs/protocol.md v1 in Python, used to make the interop vectors the Java tests check.

It follows docs/protocol.md line by line with the `cryptography` package (Ed25519, X25519, HKDF, AES-GCM) and writes
../resources/vectors/protocol-v1.json: every to-be-signed string, commitment, ciphertext, sealed key and signature
made from fixed inputs (fixed keys, salts, nonces and HPKE ephemeral seeds), so the bytes are reproducible, holder
requests signed for the gateway over HTTP (section 16), write grants and consent requests (section 6a), a re-key
(section 6b) and a key backup (section 17, Argon2id from argon2-cffi).

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
print(json.dumps(out, indent=2, ensure_ascii=False))
