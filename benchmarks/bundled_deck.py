"""The bundled decks' size and run time: every snippet, run one after another in the real
warm runner (as the test suite and `studylog run` do).

Prints one row per snippet (lines, seconds), the totals, then one line of JSON.
Targets: no snippet over 30 lines; each snippet well under a few seconds on 2 cores.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studylog import paths  # noqa: E402
from studylog.core.cards.deck_parser import parse_deck  # noqa: E402
from studylog.runner import SnippetRunner  # noqa: E402


def main() -> None:
    cards = []
    for path in sorted(paths.bundled_decks_dir().glob("*.md")):
        deck = parse_deck(path.read_text(encoding="utf-8"), default_name=path.stem)
        cards += [(deck.name, c) for c in deck.cards]
    with SnippetRunner() as runner:
        started = time.perf_counter()
        runner.start(wait=True)
        warm_s = time.perf_counter() - started
        rows, failed = [], []
        for deck_name, card in cards:
            if not card.snippet_code:
                continue
            t0 = time.perf_counter()
            result = runner.run(card.snippet_code, name=card.snippet_name,
                                timeout_s=card.timeout or 60)
            seconds = time.perf_counter() - t0
            lines = len(card.snippet_code.rstrip("\n").splitlines())
            rows.append((deck_name, card.snippet_name, card.kind, lines, seconds))
            if not result.ok:
                failed.append(card.snippet_name)
        total_s = time.perf_counter() - started
    print(f"{'deck':22} {'snippet':32} {'kind':8} {'lines':>5} {'seconds':>8}")
    for deck_name, name, kind, lines, seconds in rows:
        print(f"{deck_name:22} {name:32} {kind:8} {lines:5} {seconds:8.2f}")
    longest = max(rows, key=lambda r: r[3])
    slowest = max(rows, key=lambda r: r[4])
    snippets_s = sum(r[4] for r in rows)
    print(f"{len(cards)} cards, {len(rows)} snippets ({sum(r[2] == 'predict' for r in rows)} "
          f"predict); longest {longest[1]} ({longest[3]} lines); slowest {slowest[1]} "
          f"({slowest[4]:.2f} s); all snippets {snippets_s:.2f} s; with warm-up {total_s:.2f} s;"
          f" failed: {failed or 'none'}")
    print(json.dumps({"cards": len(cards), "snippets": len(rows),
                      "predict": sum(r[2] == "predict" for r in rows),
                      "longest_snippet_lines": longest[3], "longest_snippet": longest[1],
                      "slowest_snippet": slowest[1], "slowest_s": round(slowest[4], 3),
                      "all_snippets_s": round(snippets_s, 3), "warm_start_s": round(warm_s, 3),
                      "total_s": round(total_s, 3), "failed": failed}))


if __name__ == "__main__":
    main()
