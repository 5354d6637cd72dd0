"""A day's keywords are looked up together (issue 11: 16,000 lookups in ten years'
import): ``ensure_all`` gives what ``ensure`` one at a time gives, with old spellings
(aliases), a spelling listed twice, and keywords new to the journal."""

from __future__ import annotations

from studylog.core.storage.database import Store
from studylog.core.text.keywords import normalize


def _journal(store: Store) -> None:
    with store.write():
        tensor = store.keywords.ensure("Tensor", "tensor")
        store.keywords.ensure("역전파", normalize("역전파"))
        store.keywords.add_alias(normalize("Back Prop"), tensor)  # merged into Tensor
        store.keywords.ensure("Autograd", "autograd")
        store.keywords.add_alias("autograd", tensor)  # an alias never hides a keyword


WORDS = ["Data Loader", "tensor", "Back Prop", "역전파", "DataLoader", "Autograd", "새 개념",
         "TENSOR", "새 개념"]


def test_ensure_all_gives_what_ensure_gives(tmp_path):
    with Store(tmp_path / "one.sqlite3") as one, Store(tmp_path / "all.sqlite3") as every:
        _journal(one)
        _journal(every)
        with one.write():
            expected = [one.keywords.ensure(w, normalize(w)) for w in WORDS]
        with every.write():
            got = every.keywords.ensure_all([(w, normalize(w)) for w in WORDS])
        assert got == expected
        assert got[1] == got[2] == got[7]  # tensor, an old spelling of it, TENSOR
        assert got[0] == got[4] and got[6] == got[8]  # new, then listed again
        assert got[5] != got[1]  # Autograd is its own keyword
        rows = "SELECT id, name, norm FROM keywords ORDER BY id"
        assert every.query(rows) == one.query(rows)
        assert every.keywords.ensure_all([]) == []
