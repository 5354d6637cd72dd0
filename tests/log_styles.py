"""Learning logs in many styles, drawn from a seed: Korean and English prose, keyword lines
of every form, keyword blocks, bold-term bullets (card candidates), code fences, hard line
breaks, inline code, emphasis and links, quotes, tabs, front matter, week headings. For
tests that compare two ways of reading the same logs."""

from __future__ import annotations

import random
from datetime import date, timedelta

KOREAN = ["오늘은", "개념을", "다시", "정리했다", "실습에서", "이해가", "잘", "안", "됐는데",
          "피어세션", "때", "알게", "되었다", "강의", "내용이", "어려웠지만", "코드를", "직접",
          "돌려보니", "메모리", "주소가", "연속적이면", "빠르다", "contiguous라는", "역전파를"]
ENGLISH = ["tensor", "gradient", "memory", "layout", "batch", "model", "training", "loss",
           "epoch", "shape", "device", "kernel", "Buffer", "module", "parameter", "I/O"]
TOPICS = ["Tensor", "Autograd", "Backward Method", "Hook", "Contiguous", "DataLoader",
          "Learning Rate", "Dropout", "Batch Norm", "역전파", "기울기 소실", "Chain Rule",
          "view()", "Adam", "SGD(기본)", "Straße", "Attention", "TCP/IP", "Cross Entropy"]
# inline markup a writer uses now and then (it keeps markdown-it's inline parser busy)
MARKUP = ["`view()`", "**중요**", "*emphasis*", "_under_", "[link](https://example.com)",
          "<br>", "&amp;", "\\*", "![img](a.png)", "~tilde~", "a < b", "x * y"]
KEYWORD_LINES = ["키워드: {}", "+ ##### 키워드: {}", "- Keywords: {}", "**키워드** - {}",
                 "#키워드: {}", "> 키워드：{}", "Keyword — {}", "### Keywords: {}",
                 "키워드 : {}"]
SEPARATORS = [", ", " / ", "; ", " · ", " | ", "、"]


def _sentence(rng: random.Random, topics: list[str]) -> str:
    words = rng.choices(KOREAN, k=rng.randint(3, 10)) + rng.choices(ENGLISH, k=rng.randint(0, 4))
    if topics and rng.random() < 0.7:  # mention a keyword, sometimes in another case
        topic = rng.choice(topics)
        words.append(rng.choice([topic, topic.lower(), topic.upper(), topic + "라는"]))
    if rng.random() < 0.25:
        words.append(rng.choice(MARKUP))
    rng.shuffle(words)
    return " ".join(words) + rng.choice([".", "", ".  ", " ", ". \t", "!"])


def _paragraph(rng: random.Random, topics: list[str]) -> list[str]:
    lines = [_sentence(rng, topics) for _ in range(rng.randint(1, 3))]
    if len(lines) > 1 and rng.random() < 0.3:
        lines[1] = rng.choice(["  ", "\t", "   "]) + lines[1]  # an indented continuation
    return lines + [""]


def _fence(rng: random.Random) -> list[str]:
    info = rng.choice(["python", "", "python snippet", "text"])
    body = [f"x = torch.randn({rng.randint(2, 9)}, 3)", "print(x.stride())  # 메모리"]
    return [f"```{info}", *body[:rng.randint(1, 2)], "```", ""]


def _keyword_block(rng: random.Random, topics: list[str]) -> list[str]:
    form = rng.randrange(4)
    if form == 0:  # a heading label, then a list
        return ["### 키워드", "", *[f"- {t}" for t in topics], ""]
    if form == 1:  # a bold label, then a list with definitions
        return ["**Keywords**", "", *[f"* {t}: {rng.choice(KOREAN)}" for t in topics], ""]
    if form == 2:  # the label's own paragraph goes on
        return ["키워드", *topics, ""]
    return ["> 키워드", *[f">> {t}\n>>" for t in topics], ""]


def _candidates(rng: random.Random, topics: list[str]) -> list[str]:
    lines = []
    for term in rng.sample(TOPICS, rng.randint(1, 3)) + (topics[:1] if topics else []):
        bullet = rng.choice(["*", "-", "1."])
        sep = rng.choice([" :", ":", "：", " -", ""])
        lines.append(f"{bullet} **{term}**{sep} {rng.choice(KOREAN)} {rng.choice(ENGLISH)}")
        if rng.random() < 0.6:
            lines.append(f"    {bullet} {rng.choice(KOREAN)} {rng.choice(ENGLISH)}")
    lines += [rng.choice(["* **학습 내용**", "- **Today I learned**", "- **Adam** is great."]),
              "    * 복습", ""]
    if rng.random() < 0.3:
        lines += _fence(rng)
    return lines


def _day(rng: random.Random, when: date, number: int) -> list[str]:
    topics = rng.sample(TOPICS, rng.randint(0, 4))
    heading = rng.choice([f"## {when:%Y-%m-%d}", f"Day {number} ({when:%m/%d})\n---",
                          f"### {when.month}월 {when.day}일", f"# {when:%Y.%m.%d} (월)",
                          f"## {when:%m/%d} {rng.choice(ENGLISH)} day"])
    lines = [heading, ""]
    for _ in range(rng.randint(1, 4)):
        part = rng.random()
        if part < 0.55:
            lines += _paragraph(rng, topics)
        elif part < 0.7:
            lines += _fence(rng)
        elif part < 0.85:
            lines += _candidates(rng, topics)
        else:
            lines += ["> " + _sentence(rng, topics), "> " + _sentence(rng, topics), ""]
    if topics:
        if rng.random() < 0.7:
            line = rng.choice(KEYWORD_LINES).format(rng.choice(SEPARATORS).join(topics))
            lines += [line, ""]
        else:
            lines += _keyword_block(rng, topics)
    return lines


def styled_log(rng: random.Random, start: date, days: int) -> str:
    """One log file of ``days`` days from ``start``, in a style drawn from ``rng``."""
    lines: list[str] = []
    if rng.random() < 0.2:
        lines += ["---", f"title: {rng.choice(ENGLISH)} 기록", "tags: [pytorch]", "---", ""]
    if rng.random() < 0.5:
        end = start + timedelta(days=days - 1)
        lines += [f"Week {rng.randint(1, 40)} ({start:%m/%d} ~ {end:%m/%d})", "===",
                  "> ##### 주간 요약", "> " + _sentence(rng, []), ""]
    for n in range(days):
        lines += _day(rng, start + timedelta(days=n), n + 1)
    return "\n".join(lines) + rng.choice(["", "\n"])


def styled_logs(seed: int, files: int) -> list[tuple[str, str]]:
    """``files`` (file name, text) pairs, one to seven days each, dated from 2023."""
    rng = random.Random(seed)
    out = []
    start = date(2023, 1, 2)
    for n in range(files):
        days = rng.randint(1, 7)
        out.append((f"{start.year}-log{n:03d}.md", styled_log(rng, start, days)))
        start += timedelta(days=days + rng.randint(0, 3))
    return out
