"""Card candidates from bold-term bullets (issue 14): what is proposed, accept, reject,
re-import, editing the day, the per-deck switch. Real click commands on a temp database."""

from __future__ import annotations

import json
from datetime import date

from studylog.core.journal.day_editing import save_day_text

# A synthetic bootcamp week, Monday to Friday, in the styles people use: Korean and
# English, `*` and `-` bullets, ':' '：' and '-' after the term, sub-items, a code block.
# Every day repeats the section labels **학습 내용** / **부족한 점** / **Today I learned**.
WEEK = {
    "2023-11-06": """# 2023-11-06 (월)
* **학습 내용**
    * 선형회귀 복습
* **Generalization** : 일반화 성능을 높이는 것이 목표
    * train error와 test error의 차이
    * 데이터를 늘리면 좋아진다
* **부족한 점**: 수식이 어려웠다
* **[39일차](https://example.com/til/39)**
""",
    "2023-11-07": """# 2023-11-07 (화)
- **Today I learned**
  - bootstrapping and bagging
- **Bootstrapping**
  - 복원 추출로 여러 표본을 만든다
  - bagging의 기반
- **Adam** is what everyone uses.
- **오늘은 정말 많이 배웠다**: 뿌듯
* **학습 내용**
    * 앙상블
""",
    "2023-11-08": """# 2023-11-08 (수)
**학습 내용**

1. **Broadcasting** - shape이 다른 tensor끼리 연산할 때 크기를 맞춘다

```python
torch.ones(3, 1) + torch.ones(1, 4)
```

- **부족한 점**: broadcasting 규칙이 헷갈림
""",
    "2023-11-09": """# 2023-11-09 (목)
- **Gradient Descent**：손실이 줄어드는 방향으로 파라미터를 움직인다
- **학습 내용**
  - 경사하강법
- **Today I learned**
  - learning rate matters
""",
    "2023-11-10": """# 2023-11-10 (금)
* **Backpropagation** - chain rule로 gradient를 뒤에서부터 계산

키워드: Backpropagation, Chain Rule

- **학습 내용**
  - 역전파
- **부족한 점**: 없음
- **Today I learned**: backprop by hand
""",
}


def _write_week(tmp_path):
    folder = tmp_path / "week"
    folder.mkdir()
    for day, text in WEEK.items():
        (folder / f"{day}.md").write_text(text, encoding="utf-8")
    return folder


def _candidates(cli) -> list[dict]:
    result = cli("candidates", "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_a_week_of_bold_term_notes_proposes_the_concepts(tmp_path, cli):
    folder = _write_week(tmp_path)
    imported = cli("import", str(folder))
    assert "4 card candidate(s) waiting: studylog candidates" in imported.output
    found = _candidates(cli)
    assert all(set(c) == {"id", "front", "back", "date", "source_file"} for c in found)
    assert [(c["date"], c["front"]) for c in found] == [
        ("2023-11-06", "Generalization"), ("2023-11-07", "Bootstrapping"),
        ("2023-11-08", "Broadcasting"), ("2023-11-09", "Gradient Descent")]
    backs = {c["front"]: c["back"] for c in found}
    assert backs["Generalization"] == ("일반화 성능을 높이는 것이 목표\n"
                                       "* train error와 test error의 차이\n"
                                       "* 데이터를 늘리면 좋아진다")
    assert backs["Bootstrapping"] == "- 복원 추출로 여러 표본을 만든다\n- bagging의 기반"
    assert backs["Broadcasting"] == ("shape이 다른 tensor끼리 연산할 때 크기를 맞춘다\n"
                                     "```python\ntorch.ones(3, 1) + torch.ones(1, 4)\n```")
    assert backs["Gradient Descent"] == "손실이 줄어드는 방향으로 파라미터를 움직인다"
    assert found[0]["source_file"].endswith("2023-11-06.md")
    # Not proposed: labels repeated on >= 3 days and more than a quarter of them
    # (학습 내용 5/5, 부족한 점 4/5, Today I learned 3/5), a link, a bold word inside a
    # sentence, a sentence as the term
    fronts = {c["front"] for c in found}
    assert not fronts & {"학습 내용", "부족한 점", "Today I learned", "39일차", "Adam",
                        "오늘은 정말 많이 배웠다"}


def test_candidates_are_not_cards_until_accepted(tmp_path, cli):
    assert cli("import", str(_write_week(tmp_path))).exit_code == 0
    due = json.loads(cli("due", "--deck", "journal", "--json").output)
    assert {c["front"] for c in due["cards"]} == {"Backpropagation", "Chain Rule"}
    generalization = next(c for c in _candidates(cli) if c["front"] == "Generalization")
    result = cli("accept", str(generalization["id"]), "--json")
    assert result.exit_code == 0, result.output
    [card_id] = json.loads(result.output)
    cards = {c["id"]: c for c in json.loads(cli("cards", "--json").output)}
    assert cards[card_id]["front"] == "Generalization"
    assert cards[card_id]["back"] == generalization["back"]
    assert cards[card_id]["source_dates"] == ["2023-11-06"]  # linked to its day
    due = json.loads(cli("due", "--deck", "journal", "--json").output)
    assert card_id in [c["id"] for c in due["cards"]]  # reviewable
    assert cli("grade", str(card_id), "good").exit_code == 0
    assert "Generalization" not in {c["front"] for c in _candidates(cli)}


def test_bold_term_of_a_keyword_joins_the_keyword_card(tmp_path, cli):
    assert cli("import", str(_write_week(tmp_path))).exit_code == 0
    assert "Backpropagation" not in {c["front"] for c in _candidates(cli)}
    [card] = [c for c in json.loads(cli("cards", "--json").output)
              if c["front"] == "Backpropagation"]
    assert "chain rule로 gradient를 뒤에서부터 계산" in card["back"]


def test_reject_is_remembered_across_reimport(tmp_path, cli):
    folder = _write_week(tmp_path)
    assert cli("import", str(folder)).exit_code == 0
    boot = next(c for c in _candidates(cli) if c["front"] == "Bootstrapping")
    assert "rejected 1" in cli("reject", str(boot["id"])).output
    day = folder / "2023-11-07.md"
    day.write_text(day.read_text(encoding="utf-8").replace("bagging의 기반",
                                                           "bagging의 기반이 된다"),
                   encoding="utf-8")
    report = json.loads(cli("import", str(folder), "--json").output)
    assert report["files"][1]["days_updated"] == 1
    assert "Bootstrapping" not in {c["front"] for c in _candidates(cli)}
    assert "Bootstrapping" not in {c["front"] for c in json.loads(cli("cards", "--json").output)}


def test_editing_the_day_updates_a_pending_candidate(tmp_path, cli, store):
    folder = _write_week(tmp_path)
    assert cli("import", str(folder)).exit_code == 0
    before = next(c for c in _candidates(cli) if c["front"] == "Gradient Descent")
    day = folder / "2023-11-09.md"
    day.write_text(day.read_text(encoding="utf-8").replace("움직인다", "조금씩 움직인다"),
                   encoding="utf-8")
    assert cli("import", str(folder)).exit_code == 0
    after = next(c for c in _candidates(cli) if c["front"] == "Gradient Descent")
    assert after["id"] == before["id"]
    assert after["back"] == "손실이 줄어드는 방향으로 파라미터를 조금씩 움직인다"
    # ...and in the app: a day saved without the bullet drops its pending candidate
    save_day_text(store, date(2023, 11, 9), "오늘은 복습만 했다.\n")
    assert "Gradient Descent" not in {c["front"] for c in _candidates(cli)}
    save_day_text(store, date(2023, 11, 9), "- **Learning Rate**: 한 걸음의 크기\n")
    assert "Learning Rate" in {c["front"] for c in _candidates(cli)}


def test_accept_edits_all_or_nothing(tmp_path, cli, store):
    assert cli("import", str(_write_week(tmp_path))).exit_code == 0
    first = _candidates(cli)[0]["id"]
    result = cli("accept", str(first), "99999")
    assert result.exit_code == 1
    assert result.output.strip() == "error: no pending candidate with id 99999 " \
                                    "(see studylog candidates)"
    assert len(_candidates(cli)) == 4  # nothing accepted
    assert cli("accept", "--all").exit_code == 0
    assert _candidates(cli) == []
    assert cli("accept", str(first)).exit_code == 1  # already decided


def test_candidates_can_be_turned_off_per_deck(tmp_path, cli):
    assert cli("import", str(_write_week(tmp_path))).exit_code == 0
    assert "candidates off" in cli("candidates", "--off").output
    assert _candidates(cli) == []
    assert cli("candidates", "--on").exit_code == 0
    assert len(_candidates(cli)) == 4


def test_a_day_with_only_candidates_is_not_counted_as_making_no_card(tmp_path, cli):
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "2023-11-06.md").write_text("- **Tensor**: 다차원 배열\n", encoding="utf-8")
    (folder / "2023-11-07.md").write_text("Today I only rested.\n", encoding="utf-8")
    report = json.loads(cli("import", str(folder), "--json").output)
    assert report["dates_without_cards"] == ["2023-11-07"]
    assert report["candidates_waiting"] == 1


def test_reimporting_with_candidates_is_idempotent(tmp_path, cli, store):
    folder = _write_week(tmp_path)
    assert cli("import", str(folder)).exit_code == 0
    snapshot = store.query("SELECT * FROM candidates ORDER BY id")
    assert "nothing changed" in cli("import", str(folder)).output
    assert store.query("SELECT * FROM candidates ORDER BY id") == snapshot


def test_the_repeated_label_rule_counts_days_of_the_whole_journal(tmp_path, cli):
    folder = tmp_path / "month"
    folder.mkdir()
    for n in range(16):
        lines = [f"## 2023-03-{n + 1:02d}", "오늘 공부."]
        if n in (2, 7, 12):  # a concept noted on 3 of 16 days: under a quarter
            lines.append(f"- **Tensor**: 다차원 배열 ({n})")
        if n % 3 == 0:  # a section label on 6 of 16 days: over a quarter
            lines += ["- **느낀 점**", "  - 재미있었다"]
        (folder / f"day{n:02d}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert cli("import", str(folder)).exit_code == 0
    found = _candidates(cli)
    assert [(c["front"], c["date"]) for c in found] == [
        ("Tensor", "2023-03-03"), ("Tensor", "2023-03-08"), ("Tensor", "2023-03-13")]


def test_candidate_forms_in_one_log():
    from studylog.core.journal.log_parser import parse_log

    text = ("## 2023-11-13\n"
            "1. **Loss:** the number we minimise,\n   written as L(θ)\n"
            "2. __Epoch__ - one pass over the data\n"
            "- **Stride**\n"
            "- **Contiguous** 라는 개념이 중요\n"  # a bold word inside a sentence
            "- **View**:\n  ```python\n  x.view(2, 3)\n  ```\n")
    day = parse_log(text, "x.md", today=date(2026, 1, 1)).days[0]
    assert [(c.front, c.back) for c in day.candidates] == [
        ("Loss", "the number we minimise,\nwritten as L(θ)"),
        ("Epoch", "one pass over the data"),
        ("View", "```python\nx.view(2, 3)\n```")]


def test_a_joined_bullet_is_quoted_once_with_its_code(tmp_path, cli):
    # Found by hand: a bold-term bullet about a keyword of the day, whose sub-item also
    # mentions it, with a code block after the list. The bullet joined the card, and its
    # sub-item was quoted again as a passage of its own with the same code block, so the
    # back showed the code twice and offered it to run twice.
    log = tmp_path / "2024-03-04.md"
    log.write_text("# 2024-03-04 (월)\n"
                   "* **Einsum** : 인덱스 표기로 텐서 연산을 표현한다\n"
                   "    * 행렬곱도 einsum으로 쓸 수 있다\n\n"
                   "```python\nimport torch\nprint(torch.einsum('ii', torch.eye(2)))\n```\n\n"
                   "Later I used einsum for attention scores too.\n\n"
                   "키워드 : Einsum / 기울기 소실\n", encoding="utf-8")
    assert cli("import", str(log)).exit_code == 0
    [card] = [c for c in json.loads(cli("cards", "--json").output) if c["front"] == "Einsum"]
    assert card["back"].count("행렬곱도 einsum으로") == 1
    assert card["back"].count("torch.einsum('ii'") == 1
    assert "Later I used einsum" in card["back"]  # other passages are still quoted
    assert [s["name"] for s in card["snippets"]] == ["Einsum #1"]


def test_a_day_whose_candidates_were_decided_is_not_said_to_have_none(tmp_path, cli):
    # Found by hand: after accepting one day's candidate and rejecting another's, a
    # re-import said both days "made no card: no keyword line and no card candidates".
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "Day1.md").write_text("# Day 1\n\n- **Tensor** : 다차원 배열\n", encoding="utf-8")
    (folder / "Day2.md").write_text("Day 2 notes\n\n* **Autograd** - computes gradients\n",
                                    encoding="utf-8")
    (folder / "Day3.md").write_text("# Day 3\n\n오늘은 쉬었다.\n", encoding="utf-8")
    first = json.loads(cli("import", str(folder), "--first-day", "2023-11-06",
                           "--json").output)
    assert first["dates_without_cards"] == ["2023-11-08"]
    tensor, autograd = _candidates(cli)
    assert cli("accept", str(tensor["id"])).exit_code == 0
    assert cli("reject", str(autograd["id"])).exit_code == 0
    for day in folder.iterdir():  # every file changed: every day is read again
        day.write_text(day.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = json.loads(cli("import", str(folder), "--first-day", "2023-11-06",
                           "--json").output)
    assert again["dates_without_cards"] == ["2023-11-08"]
    assert again["candidates_waiting"] == 0


def test_reject_all_rejects_every_pending_candidate_for_good(tmp_path, cli):
    folder = _write_week(tmp_path)
    assert cli("import", str(folder)).exit_code == 0
    assert cli("reject", "--all", "1").exit_code == 1  # ids or --all, not both
    assert len(_candidates(cli)) == 4
    assert "rejected 4" in cli("reject", "--all").output
    assert _candidates(cli) == []
    for day in folder.iterdir():
        day.write_text(day.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert cli("import", str(folder)).exit_code == 0
    assert _candidates(cli) == []  # never proposed again
