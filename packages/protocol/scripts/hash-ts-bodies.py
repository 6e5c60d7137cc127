#!/usr/bin/python3
"""Reads {synapse, body} JSON lines made by the TS side (scripts/gen-ts-interop.ts), parses each body as a Python axon
does (json.loads, pydantic coercion emulated: float fields -> float, int fields -> int) and writes the body hashes to
test/fixtures/ts-bodies-python-hash.json. A body CPython cannot hash (lone surrogate in a top-level str) gets null."""
import hashlib
import json
import os
import sys

def sha3(s):
    return hashlib.sha3_256(s.encode('utf-8')).hexdigest()

def floats(d):
    return {k: float(v) for k, v in d.items()}

def hash_fields(name, b):
    if name == 'RankingRequest':
        return [b['request_id'], b['prompt'], [{'cid': c['cid'], 'text': c['text']} for c in b['completions']]]
    if name == 'MTurkResponse':
        return [b['request_id'], b['mturk_hit_id'], floats(b['completion_id_to_score'])]
    if name == 'RankingResult':
        return [b['request_id'], floats(b['cid_to_consensus']), floats(b['hotkey_to_score'])]
    if name == 'chunkSynapse':
        size = b.get('chunk_size')
        return [b['document'], None if size is None else int(size)]
    raise ValueError(name)

out = []
for line in sys.stdin:
    case = json.loads(line)
    body = json.loads(case['body'])
    try:
        h = sha3(''.join(sha3(str(v)) for v in hash_fields(case['synapse'], body)))
    except UnicodeEncodeError:
        h = None
    out.append({'synapse': case['synapse'], 'body': case['body'], 'nonce': str(body['dendrite']['nonce']), 'hash': h})
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'ts-bodies-python-hash.json')
with open(path, 'w', encoding='utf-8') as f:
    json.dump({'generator': 'scripts/gen-ts-interop.ts | scripts/hash-ts-bodies.py', 'python': sys.version.split()[0],
               'cases': out}, f, ensure_ascii=True, indent=0)
    f.write('\n')
print(f'wrote {path}: {len(out)} cases')
