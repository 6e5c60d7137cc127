import { signerFromMnemonic, verifySr25519 } from '@dojo-ts/neuron';
import { describe, expect, it } from 'vitest';
import { chunkDocument, packSentences } from './chunk-document.js';
import { minerSignature, pyJsonDumps } from './miner-signature.js';

const MNEMONIC = 'bottom drive obey lake curtain smoke basket hold race lonely fit walk';

describe('packSentences (greedy sentence packing)', () => {
  it('appends " " + next while the chunk stays within chunk_size', () => {
    expect(packSentences(['One.', 'Two.', 'Three.'], 9)).toEqual(['One. Two.', 'Three.']);
    expect(packSentences(['One.', 'Two.', 'Three.'], 8)).toEqual(['One.', 'Two.', 'Three.']);
    expect(packSentences(['One.', 'Two.', 'Three.'], 100)).toEqual(['One. Two. Three.']);
  });

  it('a sentence longer than chunk_size becomes its own oversized chunk', () => {
    expect(packSentences(['Short.', 'A much longer sentence here.', 'End.'], 10)).toEqual([
      'Short.',
      'A much longer sentence here.',
      'End.',
    ]);
  });

  it('measures length in code points like Python len(), not UTF-16 units', () => {
    // '😀.' is 2 code points but 3 UTF-16 units: two of them plus a space fit in 5.
    expect(packSentences(['😀.', '😀.'], 5)).toEqual(['😀. 😀.']);
  });

  it('an empty document gives no chunks', () => {
    expect(chunkDocument('', 100)).toEqual([]);
  });

  it('chunkDocument keeps every sentence in order, each chunk within the limit when sentences fit', () => {
    const doc = 'The cat sat on the mat. It was warm. Dogs barked outside. The end came soon. Nobody minded at all.';
    const chunks = chunkDocument(doc, 40);
    expect(chunks.join(' ')).toBe(doc);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(40);
    expect(chunks.length).toBeGreaterThan(1);
  });
});

describe('miner_signature', () => {
  it('pyJsonDumps matches CPython json.dumps (ensure_ascii, separators, null, surrogate pairs)', () => {
    // Expected strings printed by CPython 3.11 json.dumps.
    expect(
      pyJsonDumps([
        ['document', 'Café "q" \\ \n\t\u007f 😀 \u0001'],
        ['chunk_size', 4096],
        ['chunks', ['a', 'b\u2028']],
      ]),
    ).toBe(
      '{"document": "Caf\\u00e9 \\"q\\" \\\\ \\n\\t\\u007f \\ud83d\\ude00 \\u0001", "chunk_size": 4096, "chunks": ["a", "b\\u2028"]}',
    );
    expect(
      pyJsonDumps([
        ['document', ''],
        ['chunk_size', null],
        ['chunks', []],
      ]),
    ).toBe('{"document": "", "chunk_size": null, "chunks": []}');
  });

  it('is the hotkey signature over the dumped {document, chunk_size, chunks}, lowercase hex without 0x', async () => {
    const signer = await signerFromMnemonic(MNEMONIC);
    const task = { document: 'A b. C d.', chunk_size: 4096, chunks: ['A b. C d.'] };
    const sig = minerSignature(signer, task);
    expect(sig).toMatch(/^[0-9a-f]{128}$/);
    const message = '{"document": "A b. C d.", "chunk_size": 4096, "chunks": ["A b. C d."]}';
    expect(verifySr25519(`0x${sig}`, message, signer.address)).toBe(true);
    expect(verifySr25519(`0x${sig}`, message.replace('4096', '4097'), signer.address)).toBe(false);
  });

  it('v1.1 tasks (chunk_qty set) sign {document, chunk_size, chunk_qty, chunks}', async () => {
    const signer = await signerFromMnemonic(MNEMONIC);
    const sig = minerSignature(signer, { document: 'x', chunk_size: 10, chunk_qty: 3, chunks: ['x'] });
    expect(
      verifySr25519(`0x${sig}`, '{"document": "x", "chunk_size": 10, "chunk_qty": 3, "chunks": ["x"]}', signer.address),
    ).toBe(true);
  });
});
