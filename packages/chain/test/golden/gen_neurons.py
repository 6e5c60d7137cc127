"""Independent cross-check of NeuronInfoLite decoding (spec chain.md §5.2), written from the layout alone.

Parses the recorded finney `NeuronInfoRuntimeApi_get_neurons_lite` answer (netuid 1, block 6852690) with hand-written
SCALE code and writes a few neurons' fields. Run:
  /usr/bin/python3 test/golden/gen_neurons.py /work/shared/fixtures/subtensor > test/golden/neurons-netuid1.json
"""
import hashlib
import json
import sys

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58(data):
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = ALPHABET[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def ss58(pub, prefix=42):
    body = bytes([prefix]) + pub
    return b58(body + hashlib.blake2b(b"SS58PRE" + body, digest_size=64).digest()[:2])


class R:
    def __init__(self, b):
        self.b, self.o = b, 0

    def take(self, n):
        v = self.b[self.o:self.o + n]
        assert len(v) == n
        self.o += n
        return v

    def uint(self, n):
        return int.from_bytes(self.take(n), "little")

    def compact(self):
        m = self.b[self.o] & 3
        if m == 0:
            return self.uint(1) >> 2
        if m == 1:
            return self.uint(2) >> 2
        if m == 2:
            return self.uint(4) >> 2
        n = (self.uint(1) >> 2) + 4
        return self.uint(n)


def ip_text(v):
    if v <= 0xFFFFFFFF:
        return ".".join(str((v >> s) & 255) for s in (24, 16, 8, 0))
    import ipaddress
    return str(ipaddress.IPv6Address(v))


def neuron(r):
    n = {"hotkey": ss58(r.take(32)), "coldkey": ss58(r.take(32)), "uid": r.compact(), "netuid": r.compact(),
         "active": r.uint(1) == 1}
    n["axon"] = {"block": r.uint(8), "version": r.uint(4), "ip": ip_text(r.uint(16)), "port": r.uint(2),
                 "ipType": r.uint(1), "protocol": r.uint(1), "placeholder1": r.uint(1), "placeholder2": r.uint(1)}
    r.take(8 + 4 + 16 + 2 + 1)  # prometheus
    stake = [(ss58(r.take(32)), r.compact()) for _ in range(r.compact())]
    n["stakeRao"] = str(sum(s for _, s in stake))
    for f in ("rankRaw", "emissionRao", "incentiveRaw", "consensusRaw", "trustRaw", "validatorTrustRaw",
              "dividendsRaw", "lastUpdate"):
        n[f] = r.compact()
    n["emissionRao"] = str(n["emissionRao"])
    n["validatorPermit"] = r.uint(1) == 1
    n["pruningScore"] = r.compact()
    return n


rec = json.load(open(sys.argv[1] + "/finney-rpc-recordings.json"))["metagraph"]["state_call"]
key = next(k for k in rec if "get_neurons_lite" in k)
r = R(bytes.fromhex(rec[key]["result"][2:]))
count = r.compact()
ns = [neuron(r) for _ in range(count)]
assert r.o == len(r.b)
picks = {0, 5, 1023}
picks.add(max(range(count), key=lambda i: int(ns[i]["stakeRao"])))
picks.add(max(range(count), key=lambda i: ns[i]["incentiveRaw"]))
picks.add(max(range(count), key=lambda i: ns[i]["dividendsRaw"]))
# SubnetState (Option<SubnetState>): per-uid total_stake, for S.
key2 = next(k for k in rec if "get_subnet_state" in k)
r2 = R(bytes.fromhex(rec[key2]["result"][2:]))
assert r2.uint(1) == 1  # Some
r2.compact()  # netuid
vecs = {}
for name, kind in [("hotkeys", "acc"), ("coldkeys", "acc"), ("active", "bool"), ("validator_permit", "bool"),
                   ("pruning_score", "c"), ("last_update", "c"), ("emission", "c"), ("dividends", "c"),
                   ("incentives", "c"), ("consensus", "c"), ("trust", "c"), ("rank", "c"),
                   ("block_at_registration", "c"), ("alpha_stake", "c"), ("tao_stake", "c"), ("total_stake", "c")]:
    ln = r2.compact()
    vecs[name] = [ss58(r2.take(32)) if kind == "acc" else (r2.uint(1) == 1 if kind == "bool" else r2.compact())
                  for _ in range(ln)]
for i in picks:
    ns[i]["totalStakeRao"] = str(vecs["total_stake"][i])
    ns[i]["taoStakeRao"] = str(vecs["tao_stake"][i])
    assert vecs["hotkeys"][i] == ns[i]["hotkey"]
print(json.dumps({"count": count, "validatorPermits": sum(n["validatorPermit"] for n in ns),
                  "sumLiteStakeRao": str(sum(int(n["stakeRao"]) for n in ns)),
                  "neurons": [ns[i] for i in sorted(picks)]}, indent=1))
