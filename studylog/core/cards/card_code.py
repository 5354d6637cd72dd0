"""The learner's own code on a card's back: which quoted code blocks are runnable Python.

A keyword card's back quotes what the learner wrote, code blocks included. A block is
offered to run when it is plainly Python: a ``python``/``py`` fence, or an untagged one
that parses as Python *and* does something (an import, an assignment, a def or class, a
loop, a ``print(...)``). Parsing alone is not enough: pseudo-code such as
``tensor[0][0][0] - tensor[0][0][1] - ...`` parses (``...`` is valid Python), and so
does much pasted output; neither is offered. Fences tagged with another language (shell,
text, output) never are.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

PYTHON_TAGS = frozenset({"python", "py", "python3", "py3"})


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A runnable block of a back, in the order the back shows it."""

    code: str
    first_line: str  # its first non-blank line, to tell blocks apart in lists


def _does_something(tree: ast.Module) -> bool:
    """Whether parsed code holds a statement that code (not prose or output) would."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.Assign, ast.AugAssign,
                             ast.AnnAssign, ast.FunctionDef, ast.AsyncFunctionDef,
                             ast.ClassDef, ast.For, ast.AsyncFor, ast.While)):
            return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id == "print":
            return True
    return False


def is_runnable_python(info: str, code: str) -> bool:
    """Whether a fenced block with info string ``info`` is Python worth running."""
    if not code.strip():
        return False
    tag = info.split()[0].lower() if info.split() else ""
    if tag:
        return tag in PYTHON_TAGS
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return _does_something(tree)


def runnable_blocks(back: str) -> list[CodeBlock]:
    """The runnable Python blocks quoted on ``back`` (Markdown), in order; a block quoted
    again (the same code pasted on two days) is offered once."""
    if "```" not in back and "~~~" not in back and "    " not in back:
        return []  # most backs hold no code: skip the parse
    from studylog.core.text.markdown_blocks import MarkdownError, leaves, parse_document

    try:
        found = leaves(parse_document(back).blocks)
    except MarkdownError:
        return []
    out: list[CodeBlock] = []
    seen: set[str] = set()
    for leaf in found:
        if leaf.kind == "fence" and leaf.text.strip() not in seen \
                and is_runnable_python(leaf.info, leaf.text):
            seen.add(leaf.text.strip())
            first = next(line.strip() for line in leaf.text.splitlines() if line.strip())
            out.append(CodeBlock(leaf.text, first))
    return out
