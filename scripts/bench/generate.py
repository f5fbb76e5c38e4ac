"""Generate a synthetic but realistic timeline for benchmarks: N entries with sources, vocabulary ids,
300–600-word bodies and some Chinese text. Deterministic for a given N (seeded)."""
from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WORDS = ("court list debtor credit system local pilot score rating record notice regulation city county "
         "company platform data government policy report court judgment enforcement travel ban train "
         "flight province bank licence market agency ministry public information blacklist redlist "
         "repair penalty reward survey analysis researchers document official figure publish").split()
CHINESE = ["失信被执行人", "社会信用体系", "信用中国", "联合惩戒", "信用修复", "统一社会信用代码", "老赖", "红名单"]
TOPICS = ["policy", "debtor-list", "naming-and-shaming", "local-pilots", "private-scores", "corporate-credit",
          "surveillance", "international"]
PLACES = ["china", "beijing", "shanghai", "rongcheng", "suining-jiangsu", "hebei", "xinjiang", "hong-kong"]
ENTITIES = ["supreme-peoples-court", "state-council", "ndrc", "pboc", "credit-china", "sensetime",
            "sesame-credit", "baihang-credit"]
STATUSES = ["documented", "reported", "disputed", "debunked"]
# (publisher id, one of its domains, primary): the first source is a government document, the rest news.
PUBLISHERS = [("state-council", "www.gov.cn", True), ("xinhua", "www.news.cn", False), ("caixin", "www.caixin.com", False)]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    if rng.random() < 0.2:
        words.insert(rng.randint(0, len(words)), rng.choice(CHINESE))
    return " ".join(words).capitalize() + "."


def body(rng: random.Random) -> str:
    target, parts, count = rng.randint(300, 600), [], 0
    while count < target:
        paragraph = " ".join(sentence(rng) for _ in range(rng.randint(3, 6)))
        count += len(paragraph.split())
        parts.append(paragraph)
        if rng.random() < 0.15:
            parts.append("## " + sentence(rng)[:40].rstrip("."))
    return "\n\n".join(parts) + "\n"


def entry(rng: random.Random, index: int) -> tuple[str, str]:
    year = 2010 + index % 16
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    date = f"{year}-{month:02d}-{day:02d}"
    slug = f"synthetic-event-{index:05d}"
    sources = "".join(
        f"  - publisher: {PUBLISHERS[n][0]}\n    title: Synthetic source {index}-{n}\n"
        f"    date: {date}\n    language: {'zh-Hans' if n % 2 else 'en'}\n"
        f"    url: https://{PUBLISHERS[n][1]}/{index}/{n}\n"
        + (f"    via: https://web.archive.org/web/2026/{PUBLISHERS[n][1]}/{index}/{n}\n" if n == 2 else "")
        + f"    primary: {'true' if PUBLISHERS[n][2] else 'false'}\n"
        for n in range(rng.randint(1, 3)))
    text = (f"---\ntitle: Synthetic event {index} about {rng.choice(WORDS)} {rng.choice(WORDS)}\n"
            f"summary: {sentence(rng)}\ndate: {date}\nadded: 2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}\n"
            "reviewed: 2026-11-30\n"
            f"topics: [{', '.join(sorted(set(rng.sample(TOPICS, rng.randint(1, 3)))))}]\n"
            f"places: [{rng.choice(PLACES)}]\nentities: [{', '.join(sorted(set(rng.sample(ENTITIES, 2))))}]\n"
            f"status: {rng.choice(STATUSES)}\nsources:\n{sources}---\n{body(rng)}")
    return f"{year}/{date}-{slug}.md", text


def generate(target: Path, count: int, seed: int = 2026) -> list[tuple[str, str]]:
    """Write a site source tree at target: the real docs, config and vocab plus N synthetic entries."""
    rng = random.Random(seed)
    if target.exists():
        shutil.rmtree(target)
    (target / "timeline").mkdir(parents=True)
    shutil.copytree(ROOT / "timeline" / "vocab", target / "timeline" / "vocab")
    entries = [entry(rng, i) for i in range(count)]
    for path, text in entries:
        out = target / "timeline" / path
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    return entries


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]))
