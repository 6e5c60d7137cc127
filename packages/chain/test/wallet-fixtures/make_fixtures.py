"""Generates the btcli-style wallet fixtures used by the wallet tests (run once; the outputs are committed).

The `$NACL` coldkey is produced by libsodium itself through PyNaCl (Debian python3-nacl), exactly as
bittensor's keyfile.encrypt_keyfile_data does: Argon2i v1.3 KDF (OPSLIMIT_SENSITIVE, MEMLIMIT_SENSITIVE,
the constant NACL salt) and SecretBox.encrypt (24-byte nonce || MAC || ciphertext), prefixed with b"$NACL".
The key material is the public Substrate development phrase, never a real wallet.

Usage: /usr/bin/python3 make_fixtures.py   (writes ./wallets/)
"""
import json
import os

import nacl.pwhash
import nacl.secret

NACL_SALT = b"\x13q\x83\xdf\xf1Z\t\xbc\x9c\x90\xb5Q\x879\xe9\xb1"
PASSWORD = "dojo-fixture-password"

# Substrate dev phrase (sr25519, no derivation path); addresses checked against subkey's published values.
COLD = {
    "accountId": "0x46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a",
    "publicKey": "0x46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a",
    "secretPhrase": "bottom drive obey lake curtain smoke basket hold race lonely fit walk",
    "secretSeed": "0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e",
    "ss58Address": "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV",
}
# BIP39 test-vector phrase; this hotkey file carries only the seed (no phrase) to exercise the seed path.
HOT = {
    "accountId": "0x625e25364c7b68e0a83065ccb40afed43f8fe933e669b24f3d69a57eddb3b715",
    "publicKey": "0x625e25364c7b68e0a83065ccb40afed43f8fe933e669b24f3d69a57eddb3b715",
    "privateKey": None,
    "secretPhrase": None,
    "secretSeed": "0x6fa2796b0071cac425d8a7851038318c2c37dcebfe4bae73197ce93e75909bd2",
    "ss58Address": "5EHgWw2Af1pnoc7f1A8bfmM97W3DAYW8xr82RfhLL9oAabAe",
}


def derive(password: str) -> bytes:
    return nacl.pwhash.argon2i.kdf(
        nacl.secret.SecretBox.KEY_SIZE,
        password.encode("utf-8"),
        NACL_SALT,
        opslimit=nacl.pwhash.argon2i.OPSLIMIT_SENSITIVE,
        memlimit=nacl.pwhash.argon2i.MEMLIMIT_SENSITIVE,
    )


def encrypt(data: bytes, password: str) -> bytes:
    return b"$NACL" + bytes(nacl.secret.SecretBox(derive(password)).encrypt(data))


def write(path: str, data: bytes) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, "wallets")
plain = json.dumps(COLD).encode("utf-8")
write(os.path.join(root, "fixture", "coldkey"), encrypt(plain, PASSWORD))
write(os.path.join(root, "fixture", "coldkey.plaintext.json"), plain)
pub = {k: COLD[k] for k in ("accountId", "publicKey", "ss58Address")}
write(os.path.join(root, "fixture", "coldkeypub.txt"), json.dumps(pub).encode("utf-8"))
write(os.path.join(root, "fixture", "hotkeys", "default"), json.dumps(HOT).encode("utf-8"))
write(os.path.join(root, "barehex", "coldkeypub.txt"), COLD["publicKey"].encode("utf-8"))
# Fixed key and nonce, no KDF: lets tests compare the secretbox layout byte for byte without paying for Argon2.
fixed = b"$NACL" + bytes(nacl.secret.SecretBox(bytes([3] * 32)).encrypt(b'{"ss58Address":"5Dfh"}', bytes([9] * 24)))
write(os.path.join(here, "sealed-fixed-key.bin"), fixed)
# The libsodium-derived key of PASSWORD (the salt is a constant), so tests can open $NACL files written with PASSWORD
# (e.g. by the CLI) without running Argon2 a second time.
write(os.path.join(here, "password-key.hex"), derive(PASSWORD).hex().encode("ascii"))
print("wrote", root)
