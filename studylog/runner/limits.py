"""Per-run limits: their defaults, and applying them inside the snippet process."""

from __future__ import annotations

import resource
from dataclasses import dataclass, replace
from typing import Any

GIB = 1024**3
MIB = 1024**2


@dataclass(frozen=True)
class RunLimits:
    """Limits for one run (``SnippetRunner`` holds the defaults).

    * ``timeout_s``: wall-clock seconds before the run is killed (``None``: never).
    * ``memory_limit_bytes``: address-space limit (``RLIMIT_AS``) of the snippet
      process and each process it forks (``None``: unlimited).  Torch itself maps
      about 0.5 GiB, so keep this well above 1 GiB.
    * ``max_output_lines`` / ``max_output_bytes``: size of the kept output tail.
    * ``max_line_bytes``: a longer line is cut into pieces of this size.
    * ``live_lines_per_s``: live events per second after an initial burst of
      ``max_output_lines``; faster output is summarised by ``"skipped"`` events.
      ``None``: every line is delivered live (for a terminal, which keeps up by
      slowing the snippet down; an app's event loop would not).
    """

    timeout_s: float | None = 60.0
    memory_limit_bytes: int | None = 4 * GIB
    max_output_lines: int = 2000
    max_output_bytes: int = 1 * MIB
    max_line_bytes: int = 64 * 1024
    live_lines_per_s: float | None = 5000.0

    def with_overrides(self, **changes: object) -> RunLimits:
        """A copy with the given fields changed; ``None`` values are ignored.

        Use ``0`` (not ``None``) to mean "no timeout" here.
        """
        clean: dict[str, Any] = {k: v for k, v in changes.items() if v is not None}
        if clean.get("timeout_s") == 0:
            clean["timeout_s"] = None
        return replace(self, **clean)


def disable_core_dumps() -> None:
    """Disable core dumps (in the spare snippet process, before its run comes)."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))


def limit_address_space(nbytes: int | None) -> None:
    """Cap this process's address space (``None`` or 0: leave it).

    Called in the snippet process before the snippet runs; processes it forks
    (DataLoader workers) inherit the limit, each with its own budget.

    RLIMIT_AS is used rather than RLIMIT_DATA: with torch loaded both work, but
    RLIMIT_AS also catches large ``mmap`` allocations that some allocators make.
    An allocation over the limit fails with ``MemoryError`` (or torch's
    ``RuntimeError: ... can't allocate memory``) instead of swapping the machine.
    """
    if not nbytes:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        nbytes = min(nbytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (nbytes, hard))
