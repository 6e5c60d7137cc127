#!/usr/bin/python3
"""Generates test/fixtures/python-golden.json with CPython 3.11: repr() of strings and floats, and body hashes of
random Dojo synapse payloads (pydantic model_dump emulated with plain dicts/floats, hash as in bittensor Synapse.body_hash).

Run: /usr/bin/python3 packages/protocol/scripts/gen-golden.py  (deterministic: fixed seed)
"""
import base64
import hashlib
import json
import math
import os
import random
import struct
import sys
import unicodedata

SEED = 20261123
rng = random.Random(SEED)

# Unassigned (Cn) code points are drawn too: CPython 3.11 (Unicode 14.0) escapes them even where the JS engine's
# newer Unicode has assigned them; src/python-nonprintable.generated.ts keeps the TS side on CPython's table.
def safe_char(cp):
    return not (0xD800 <= cp <= 0xDFFF)

CONTROL = [*range(0, 32), 127, *range(128, 160)]
CF = [0xAD, 0x600, 0x61C, 0x200B, 0x200C, 0x200D, 0x200E, 0x200F, 0x202A, 0x202E, 0x2060, 0x2064, 0xFEFF, 0xFFF9,
      0x110BD, 0x1D173, 0xE0001, 0xE0020, 0xE007F]
Z = [0x20, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F, 0x3000]
SPECIAL = [ord("'"), ord('"'), ord('\\'), ord('\n'), ord('\r'), ord('\t')]
OTHER = [0x88F, 0x1ACF, 0x1F7D9, 0x31350, 0x2B739, 0xE9, 0x4E2D, 0x1F600, 0x1F9D1, 0x10348, 0xE000, 0xF8FF, 0xF0000, 0x10FFFD, 0x378, 0xFDD0, 0xFFFE, 0x10FFFF,
         0x40000, 0x30000, 0x2FFFF]

def random_cp():
    kind = rng.random()
    if kind < 0.35:
        return rng.randint(0x21, 0x7E)
    if kind < 0.45:
        return rng.choice(CONTROL)
    if kind < 0.52:
        return rng.choice(CF)
    if kind < 0.59:
        return rng.choice(Z)
    if kind < 0.69:
        return rng.choice(SPECIAL)
    if kind < 0.74:
        return rng.choice(OTHER)
    while True:
        cp = rng.randint(0xA0, 0xFFFF) if kind < 0.87 else rng.randint(0x10000, 0x10FFFF)
        if safe_char(cp):
            return cp

def random_string(max_len=24, allow_lone_surrogate=False):
    chars = [chr(random_cp()) for _ in range(rng.randint(0, max_len))]
    if allow_lone_surrogate and rng.random() < 0.1:
        chars.insert(rng.randint(0, len(chars)), chr(rng.randint(0xD800, 0xDFFF)))
    return ''.join(chars)

def quote_case():
    return rng.choice(["'", '"', "a'b", 'a"b', 'a\'b"c', "''", '""', "\\'", '\\"', "it's", 'say "hi"'])

def float_bits(x):
    return struct.pack('>d', x).hex()

def from_bits(h):
    return struct.unpack('>d', bytes.fromhex(h))[0]

def random_floats():
    out = [0.0, -0.0, math.inf, -math.inf, math.nan, 5e-324, -5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
           1e15, 1e16, 1e-4, 1e-5, 9999999999999998.0, 1e16 - 2, 0.0001, 0.00001, 0.1, 0.30000000000000004,
           1.5e-5, 2.5e-7, 1e22, 1e21, 1.2345678901234568e17, 7.25, 3.0, 0.4107, 123456789.125]
    for b in (1e15, 1e16, 1e17, 1e-4, 1e-5, 1e-3):
        x = b
        for _ in range(3):
            x = math.nextafter(x, 0)
            out.append(x)
        x = b
        for _ in range(3):
            x = math.nextafter(x, math.inf)
            out.append(x)
    for _ in range(150):  # subnormals
        out.append(from_bits(format(rng.getrandbits(52), '016x')) * rng.choice([1, -1]))
    for _ in range(200):  # integral floats
        out.append(float(rng.randint(0, 2 ** rng.randint(1, 70))) * rng.choice([1, -1]))
    for _ in range(800):  # random bit patterns
        x = from_bits(format(rng.getrandbits(64), '016x'))
        out.append(x)
    for _ in range(600):  # decimal-looking values
        out.append(round(rng.uniform(-1000, 1000), rng.randint(0, 8)))
    for _ in range(200):  # powers of ten neighbourhoods
        e = rng.randint(-30, 30)
        out.append(rng.randint(1, 99999) * 10.0 ** e)
    return out

def sha3(s):
    return hashlib.sha3_256(s.encode('utf-8')).hexdigest()

def body_hash(values):
    return sha3(''.join(sha3(str(v)) for v in values))

def safe_top_string(max_len=40):
    return random_string(max_len)

def score():
    k = rng.random()
    if k < 0.3:
        return rng.randint(0, 10)  # JSON int in a float field: pydantic makes it a float
    if k < 0.35:
        return rng.choice([math.nan, math.inf, -math.inf, -0.0, 1e-7, 1e300])
    return round(rng.uniform(0, 10), rng.randint(0, 17))

def score_dict():
    d = {}
    for _ in range(rng.randint(0, 6)):
        key = rng.choice([str(rng.randint(0, 200)), safe_top_string(10), random_string(8, True), 'c' + str(rng.randint(0, 9))])
        d[key] = score()
    return d

def dumps(obj):
    ascii_only = rng.random() < 0.5
    try:
        text = json.dumps(obj, ensure_ascii=ascii_only)
        text.encode('utf-8')
        return text
    except UnicodeEncodeError:
        return json.dumps(obj, ensure_ascii=True)

def ranking_request():
    completions = [{'cid': safe_top_string(12), 'text': random_string(30, True)} for _ in range(rng.randint(0, 5))]
    rid, prompt = safe_top_string(16), safe_top_string(60)
    body = {'name': 'RankingRequest', 'timeout': 30.0, 'epoch_timestamp': 1732358400.5, 'request_id': rid,
            'prompt': prompt, 'n_completions': len(completions),
            # JSON key order inside a completion must not matter: model_dump emits cid, text.
            'completions': [dict(reversed(list(c.items()))) if rng.random() < 0.3 else c for c in completions],
            'ranks': [], 'modality': 'text'}
    dumped = [{'cid': c['cid'], 'text': c['text']} for c in completions]
    return body, body_hash([rid, prompt, dumped])

def float_map(d):
    return {k: float(v) for k, v in d.items()}

def mturk_response():
    rid, hit, scores = safe_top_string(16), safe_top_string(16), score_dict()
    body = {'request_id': rid, 'mturk_hit_id': hit, 'completion_id_to_score': scores, 'scoring_method': 'aws_mturk'}
    return body, body_hash([rid, hit, float_map(scores)])

def ranking_result():
    rid, cons, hk = safe_top_string(16), score_dict(), score_dict()
    body = {'request_id': rid, 'cid_to_consensus': cons, 'hotkey_to_score': hk}
    return body, body_hash([rid, float_map(cons), float_map(hk)])

def chunk_synapse():
    doc = safe_top_string(200)
    size = rng.choice([None, 0, 1, 4096, rng.randint(0, 2 ** 53 - 1), -rng.randint(1, 1000)])
    body = {'document': doc}
    if size is not None or rng.random() < 0.5:
        body['chunk_size'] = float(size) if size is not None and rng.random() < 0.2 else size
    return body, body_hash([doc, size])

REQUIRED = {  # wire.md §15: fields without a default, in declaration order
    'RankingRequest': ['prompt', 'n_completions', 'completions'],
    'MTurkResponse': ['request_id', 'mturk_hit_id', 'completion_id_to_score'],
    'RankingResult': ['request_id', 'cid_to_consensus', 'hotkey_to_score'],
    'chunkSynapse': ['document'],
}
TERMINAL = ['status_code', 'status_message', 'process_time', 'ip', 'port', 'version', 'nonce', 'uuid', 'hotkey',
            'signature']

def terminal_info(side):
    t = {k: None for k in TERMINAL}
    if side == 'dendrite':
        t.update(ip=rng.choice(['0.0.0.0', '10.1.2.3', '2001:db8::1']), version=rng.choice([7004000, 10002000, 6012004]),
                 nonce=rng.randint(2 ** 60, 2 ** 62), uuid=str(rng.getrandbits(128)),
                 hotkey='5' + ''.join(rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz123456789') for _ in range(47)),
                 signature='0x' + format(rng.getrandbits(512), '0128x'))
    else:
        t.update(ip='127.0.0.1', port=rng.randint(1, 65535), hotkey='5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty')
        if rng.random() < 0.5:  # a response: status and process time set by the axon
            t.update(status_code=rng.choice([200, 401, 500]), status_message=rng.choice(['Success', 'Not Verified']),
                     process_time=rng.choice([0.0123, 1.0, rng.random() * 10, 1e-05, 12.0]))
    return t

def python_dendrite_request(name, payload, payload_hash):
    """The headers and body of bittensor v7.4 Dendrite.preprocess_synapse_for_request + Synapse.to_headers."""
    payload = {k: v for k, v in payload.items() if k not in ('name', 'timeout')}
    timeout = rng.choice([12, 12.0, 30.0, 60, 0.5, 1e-05])
    dendrite, axon = terminal_info('dendrite'), terminal_info('axon')
    header_size, total_size = rng.randint(100, 2000), rng.randint(100, 99999)
    headers = {'name': name, 'timeout': str(float(timeout))}
    headers.update({f'bt_header_axon_{k}': str(v) for k, v in axon.items() if v is not None})
    headers.update({f'bt_header_dendrite_{k}': str(v) for k, v in dendrite.items() if v is not None})
    for field in REQUIRED[name]:
        value = payload.get(field)
        if value is None:
            continue
        headers[f'bt_header_input_obj_{field}'] = base64.b64encode(json.dumps(value.__class__()).encode()).decode('utf-8')
    headers['header_size'] = str(header_size)
    headers['total_size'] = str(total_size)
    headers['computed_body_hash'] = payload_hash
    body = {'name': name, 'timeout': float(timeout), 'total_size': total_size, 'header_size': 0, 'dendrite': dendrite,
            'axon': axon, 'computed_body_hash': '', **payload}
    return {'synapse': name, 'headers': headers, 'body': dumps(body)}

def main():
    strings = [random_string(rng.choice([4, 16, 40]), True) for _ in range(2200)]
    strings += [quote_case() + random_string(6) + quote_case() for _ in range(100)]
    strings += ['', ' ', "a'b", 'a"b', 'a\'b"c', 'tab\there\nnl', 'back\\slash', '\x7f\x00', 'é😀', '\u200b\u2028']
    # JSON with ensure_ascii=True carries lone surrogates safely; repr() always escapes them.
    string_cases = [{'json': json.dumps(s, ensure_ascii=True), 'repr': repr(s), 'str_list': str([s, s[:3]])} for s in strings]
    float_cases = [{'bits': float_bits(x), 'repr': repr(x)} for x in random_floats()]
    hash_cases = []
    makers = [('RankingRequest', ranking_request), ('MTurkResponse', mturk_response),
              ('RankingResult', ranking_result), ('chunkSynapse', chunk_synapse)]
    for _ in range(100):
        for name, make in makers:
            body, h = make()
            hash_cases.append({'synapse': name, 'body': dumps(body), 'hash': h})
    request_cases = []
    for _ in range(25):
        for name, make in makers:
            body, h = make()
            request_cases.append(python_dendrite_request(name, body, h))
    out = {
        'generator': 'packages/protocol/scripts/gen-golden.py',
        'python': sys.version.split()[0],
        'unicode': unicodedata.unidata_version,
        'seed': SEED,
        'strings': string_cases,
        'floats': float_cases,
        'body_hashes': hash_cases,
        'requests': request_cases,
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'python-golden.json')
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(out, f, ensure_ascii=True, indent=0)
        f.write('\n')
    print(f'wrote {path}: {len(string_cases)} strings, {len(float_cases)} floats, {len(hash_cases)} body hashes, '
          f'{len(request_cases)} requests')

main()
