#!/usr/bin/python3
"""Writes test/fixtures/nltk-words.json: NLTK 3.8's word tokenizer (Debian python3-nltk) on single-sentence examples.

word_tokenize(s) = [t for sent in sent_tokenize(s) for t in NLTKWordTokenizer().tokenize(sent)]; every example is one
sentence, so NLTKWordTokenizer alone gives word_tokenize's output without the Punkt data (not installable offline).
Run: /usr/bin/python3 scripts/nltk-compare.py
"""
import json
import os

import nltk
from nltk.tokenize import NLTKWordTokenizer

EXAMPLES = [
    "The cat sat on the mat.",
    "He said \"don't go.\"",
    "Mr. Smith paid $3.50 for it...",
    "I'm sure they'll come, won't they?",
    "Email me at a@b.com.",
    "Café naïve — “quoted” text; can't stop.",
    "e.g. this costs 1,000.5 dollars.",
    "The U.S. army (1941–45) won.",
    "It's 5 p.m. in New York.",
    "Visit https://example.com/a?b=c now.",
    "She asked: 'really?'",
    "Well -- maybe; maybe not.",
    "The film grossed Rp 1.2 billion (US$90,000).",
    "Hello world",
    "#hashtag and @mention :)",
]

tok = NLTKWordTokenizer()
out = {"nltk": nltk.__version__, "examples": [{"text": t, "tokens": tok.tokenize(t)} for t in EXAMPLES]}
path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "nltk-words.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(f"wrote {path}")
