"""A synthetic podcast catalogue for benchmarks: seeded, episodes of realistic length, claims of every kind.

Talk is drawn from a Zipf distribution over common English words and a large invented vocabulary
(real speech has thousands of distinct words an episode, which is what keeps spaCy's tokenizer
cache honest); every few sentences a claim is said, right or wrong, from templates covering every
claim kind. Formats rotate between plain text, SRT, WebVTT and Podcasting 2.0 JSON.

    python benchmarks/synthetic.py OUT_DIR [--episodes N] [--words N] [--seed N]
"""
from __future__ import annotations

import argparse
import itertools
import json
import random
from pathlib import Path

COMMON = ("the of and to a in that is it you i was for on are with as they be at this have from or one had by but not "
          "what all were we when your can said there use an each which she do how their if will up other about out many "
          "then them these so some her would make like him into time has look two more write go see number no way could "
          "people my than first been call who its now find long down day did get come made may part over new sound take "
          "only little work know place years live me back give most very after thing our just name good sentence man "
          "think say great where help through much before line right too means old any same tell boy follow came want "
          "show also around form three small set put end does another well large must big even such because turn here "
          "why ask went men read need land different home us move try kind hand picture again change off play spell air "
          "away animal house point page letter mother answer found study still learn should america world model models "
          "training compute data cluster scaling inference latency memory bandwidth tokens parameters really basically "
          "yeah right okay actually um uh like know mean sort kind of stuff").split()
SYLLABLES = ("ka ri to mo la ne si vu pe do fa gu ti ro ma be zi lo ha ku ze na po ra mi te so du ve li").split()

CLAIMS = [  # (template, right values, wrong values): {v} is the number said
    ("Llama 3 was trained on {v} trillion tokens.", ["15"], ["5", "50"]),
    ("GPT-2 XL has {v} billion parameters.", ["1.5"], ["15"]),
    ("Llama 3 70B keeps {v} kilobytes of KV cache per token.", ["320"], ["3,200", "32"]),
    ("Llama 2 13B keeps {v} kilobytes of KV cache per token.", ["800"], ["80"]),
    ("A 7B model in fp16 needs {v} gigabytes.", ["14"], ["28", "140"]),
    ("Gemma 2 27B was trained on 13 trillion tokens, about {v} times 10 to the 24 FLOPs.", ["2"], ["20"]),
    ("We rented 64 H100s at $3 an hour, so about ${v} a day.", ["4,600"], ["46,000", "460"]),
    ("Think about 100,000 GPUs with roughly 1400 watts apiece. That's {v} megawatts.", ["140"], ["14", "1,400"]),
    ("The H100 does {v} teraflops of dense bf16.", ["989"], ["1979"]),
    ("The H200 has {v} gigabytes of memory.", ["141"], ["80"]),
    ("Llama 3 70B has {v} layers.", ["80"], ["64"]),
    ("Llama 3 8B has {v} KV heads.", ["8"], ["32"]),
    ("Chinchilla was trained on {v} tokens per parameter.", ["20"], ["200"]),
    ("Llama 3 70B took {v} million GPU hours to train.", ["6.4"], ["64"]),
    ("DeepSeek-V3 was trained on {v} H800s.", ["2048"], ["20,000"]),
    ("Mixtral 8x7B has {v} billion active parameters.", ["13"], ["47"]),
    ("Qwen2.5-72B was trained on {v} trillion tokens.", ["18"], ["1.8"]),
    ("Llama 3.1 70B at a 128K context needs {v} gigabytes of KV cache.", ["40"], ["400"]),
    ("On one H100, Llama 3 8B decodes at most {v} tokens per second for a single user.", ["200"], ["2,000"]),
    ("In Llama 2 70B the weights hold {v} bits per token of training data.", ["0.55"], ["5.5"]),
    ("Going from 15 megawatts to 150 megawatts is a {v}x jump.", ["10"], ["30"]),
    ("It took us {v} years to get here, and GPT-4 came out in 2023.", ["two", "three"], []),
]
SPEAKERS = ["Maya Chen", "Sam Ortiz", "Priya Nair", "Tom Berg"]
CLAIM_RATE = 0.04  # of sentences: about one claim every 400 words, as in a technical episode


class Speech:
    def __init__(self, rng: random.Random, vocabulary: int = 20000):
        self.rng = rng
        self.rare = ["".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3, 3, 4)))) for _ in range(vocabulary)]
        self.cum = list(itertools.accumulate(1 / (i + 1) for i in range(vocabulary)))  # Zipf

    def sentence(self) -> str:
        n = self.rng.randint(6, 24)
        words = [self.rng.choice(COMMON) if self.rng.random() < 0.7 else self.rng.choices(self.rare, cum_weights=self.cum)[0]
                 for _ in range(n)]
        words[0] = words[0].capitalize()
        return " ".join(words) + self.rng.choice([".", ".", ".", "?", ","])

    def claim(self) -> str:
        template, right, wrong = self.rng.choice(CLAIMS)
        values = right + wrong if self.rng.random() < 0.35 and wrong else right
        return template.format(v=self.rng.choice(values))


def episode(rng: random.Random, speech: Speech, words: int) -> list[tuple[str, float, str]]:
    """Turns of (speaker, start seconds, text) adding up to about `words` words."""
    turns, said, t = [], 0, 0.0
    while said < words:
        parts = [speech.claim() if rng.random() < CLAIM_RATE else speech.sentence() for _ in range(rng.randint(2, 8))]
        text = " ".join(parts)
        turns.append((rng.choice(SPEAKERS), t, text))
        n = len(text.split())
        said += n
        t += n / 2.6  # words a second
    return turns


def clock(t: float, sep: str) -> str:
    return f"{int(t) // 3600:02d}:{int(t) % 3600 // 60:02d}:{int(t) % 60:02d}{sep}{int(t * 1000) % 1000:03d}"


def write(path: Path, turns: list[tuple[str, float, str]], fmt: str) -> Path:
    if fmt == "txt":
        path = path.with_suffix(".txt")
        path.write_text("".join(f"{s}: {x}\n\n" for s, _, x in turns), encoding="utf-8")
    elif fmt == "srt":
        path = path.with_suffix(".srt")
        path.write_text("".join(f"{i}\n{clock(t, ',')} --> {clock(t + 5, ',')}\n{s}: {x}\n\n"
                                for i, (s, t, x) in enumerate(turns, 1)), encoding="utf-8")
    elif fmt == "vtt":
        path = path.with_suffix(".vtt")
        path.write_text("WEBVTT\n\n" + "".join(f"{clock(t, '.')} --> {clock(t + 5, '.')}\n<v {s}>{x}\n\n"
                                               for s, t, x in turns), encoding="utf-8")
    else:
        path = path.with_suffix(".json")
        path.write_text(json.dumps({"version": "1.0.0", "segments": [
            {"speaker": s, "startTime": round(t, 2), "endTime": round(t + 5, 2), "body": x} for s, t, x in turns]}),
            encoding="utf-8")
    return path


def make(out: Path, episodes: int, words: int = 12000, seed: int = 7) -> list[Path]:
    """Write the catalogue; the same seed always gives the same files."""
    rng = random.Random(seed)
    speech = Speech(rng)
    out.mkdir(parents=True, exist_ok=True)
    formats = ["txt", "srt", "vtt", "json"]
    return [write(out / f"episode-{i:04d}", episode(rng, speech, words), formats[i % 4]) for i in range(episodes)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--episodes", type=int, default=8)
    ap.add_argument("--words", type=int, default=12000)
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()
    files = make(a.out, a.episodes, a.words, a.seed)
    print(f"{len(files)} episodes in {a.out}")


if __name__ == "__main__":
    main()
