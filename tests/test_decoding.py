"""Encodings: a mostly-UTF-8 file with a stray byte is refused with the byte's place,
never read as CP949 mojibake; real CP949/EUC-KR logs still import."""

from __future__ import annotations

from pathlib import Path

import pytest

from studylog.core.text.decoding import DecodeError, decode_log

CAFE = "## 2023-11-15\nI had a café latte and read about autograd.\n\nKeywords: Cafe\n"
SAMPLES = Path(__file__).resolve().parent.parent / "entries"


def test_stray_byte_in_utf8_is_refused_with_line_and_offset(tmp_path, cli, store):
    data = CAFE.encode() + b"stray \xb0a byte\n"
    assert data.decode("cp949")  # the old rule read this as CP949: caf챕
    log = tmp_path / "cafe.md"
    log.write_bytes(data)
    result = cli("import", str(log))
    assert result.exit_code == 1
    offset = data.index(b"\xb0")
    assert f"byte offset {offset}" in result.output and "line 5" in result.output
    assert "0xb0" in result.output
    assert store.entries.all() == []


def test_stray_byte_in_korean_utf8_names_its_place():
    data = ("## 2023-11-13\n오늘은 contiguous라는 개념을 배웠다.\n".encode() + b"\xff\n"
            + "키워드: 텐서\n".encode())
    with pytest.raises(DecodeError) as caught:
        decode_log(data)
    message = str(caught.value)
    assert "line 3" in message and f"byte offset {data.index(0xff)}" in message
    assert "UTF-8" in message


def test_bom_utf8_with_a_stray_byte_names_its_line():
    data = b"\xef\xbb\xbf## 2023-11-13\n" + "한 줄\n".encode() + b"\x80\n"
    with pytest.raises(DecodeError, match="line 3"):
        decode_log(data)


@pytest.mark.parametrize("encoding", ["cp949", "euc-kr"])
def test_real_korean_logs_in_cp949_still_decode(encoding):
    for path in sorted(SAMPLES.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        try:
            data = text.encode(encoding)
        except UnicodeEncodeError:
            continue  # a character outside CP949: that file cannot be written in it
        decoded, used = decode_log(data)
        assert decoded == text and used == "cp949", path.name


def test_cp949_with_latin_letters_and_few_hangul_still_decodes():
    text = "## 2023-11-13\nTensor views and strides: 뷰 개념. stride(0) == 3\n\nKeywords: View\n"
    decoded, used = decode_log(text.encode("cp949"))
    assert (decoded, used) == (text, "cp949")
