"""What a confined snippet may touch, and how much of that this kernel enforces.

A confined run (a snippet from a deck someone else wrote) starts from a warm
process spawned with ``clean_environment()``, and applies ``confine_run`` after
its fork: the run's own temporary directory becomes its home, its working
directory and its ``TMPDIR``; Landlock (where the kernel has it) then allows
writing only there and in ``/dev/shm``, reading only the Python installation and
the system paths below, no TCP, and no signal to a process outside the run.
"""

from __future__ import annotations

import os
import pwd
import sys
import sysconfig
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import landlock

# Read-only system paths that Python, torch and their libraries need: shared
# libraries and the loader cache, time zones, CPU topology (OpenMP), user names.
_SYSTEM_READ = (
    "/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin",
    "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime",
    "/etc/passwd", "/etc/group", "/etc/nsswitch.conf", "/etc/mime.types",
    "/proc/cpuinfo", "/proc/meminfo", "/proc/stat",
    "/sys/devices/system/cpu", "/sys/fs/cgroup",
    "/dev/zero", "/dev/urandom", "/dev/random",
)
_DEV_WRITE = ("/dev/null", "/dev/full")
SHARED_MEMORY = "/dev/shm"  # DataLoader workers pass tensors and semaphores here

# What torch and Python need from the environment; anything else (tokens, keys,
# the user's paths) stays out of a confined warm process.
_KEEP_ENV = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "LD_LIBRARY_PATH",
             "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def clean_environment(base: dict[str, str], run_root: str) -> dict[str, str]:
    """The environment of a confined warm process: only ``_KEEP_ENV`` from ``base``."""
    env = {k: base[k] for k in _KEEP_ENV if k in base}
    env.setdefault("PATH", "/usr/local/bin:/usr/bin:/bin")
    env.setdefault("LANG", "C.UTF-8")
    env.update(HOME=run_root, TMPDIR=run_root, PYTHONDONTWRITEBYTECODE="1")
    return env


def home_directories() -> list[str]:
    """The user's home directory, as ``HOME`` and the password database say."""
    homes = [os.path.expanduser("~")]
    try:
        homes.append(pwd.getpwuid(os.getuid()).pw_dir)
    except KeyError:
        pass
    return homes


def python_paths(homes: Sequence[str]) -> list[str]:
    """The Python installation and its package directories, as readable roots.

    A root that is one of ``homes`` or a parent of one (``/``, ``/home``) is left
    out: a rule on it would open every file below.  So is the empty entry (the
    working directory) and anything that is not a directory.
    """
    candidates = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        candidates.add(sysconfig.get_path(key))
    candidates.update(p for p in sys.path if p and os.path.isabs(p))
    private: set[Path] = set()
    for home in homes:
        resolved_home = Path(home).resolve()
        private.update([resolved_home, *resolved_home.parents])
    roots = []
    for path in sorted(candidates):
        resolved = Path(path).resolve()
        if resolved.is_dir() and resolved not in private:
            roots.append(str(resolved))
    return roots


def read_rules(homes: Sequence[str]) -> list[tuple[str, int]]:
    """Rules that do not depend on the run (computed once in the warm process, whose
    own ``HOME`` is not the user's: the client passes ``homes``)."""
    rules = [(p, landlock.READ) for p in (*python_paths(homes), *_SYSTEM_READ)]
    rules += [(p, landlock.READ | landlock.WRITE_FILE) for p in _DEV_WRITE]
    return rules


def confine_run(run_dir: str, rules: list[tuple[str, int]], abi: int) -> None:
    """Make ``run_dir`` this process's home, working and temporary directory, then
    apply Landlock (if ``abi``): read ``rules``, write only ``run_dir`` and
    ``/dev/shm``."""
    os.chdir(run_dir)
    os.environ.update(HOME=run_dir, TMPDIR=run_dir)
    tempfile.tempdir = run_dir
    if abi:
        full = landlock.all_fs_rights(abi)
        landlock.restrict_self(abi, [*rules, (run_dir, full), (SHARED_MEMORY, full)])


@dataclass(frozen=True)
class Confinement:
    """How much of the confinement this machine enforces (``landlock_abi`` 0: none)."""

    landlock_abi: int

    @property
    def files(self) -> bool:
        return self.landlock_abi >= 1

    @property
    def network(self) -> bool:
        return self.landlock_abi >= 4

    @property
    def signals(self) -> bool:
        return self.landlock_abi >= 6

    @property
    def complete(self) -> bool:
        return self.files and self.network and self.signals

    def summary(self) -> str:
        """One line: what confines an added deck's snippets here."""
        if not self.files:
            return ("added decks' snippets run with a clean environment only: this kernel "
                    "has no Landlock, so they can read and write your files and use the network")
        held = ["files"] + (["TCP"] if self.network else []) + \
            (["signals"] if self.signals else [])
        summary = f"added decks' snippets run confined (Landlock ABI {self.landlock_abi}: " \
                  f"{', '.join(held)})"
        if not self.network:
            summary += "; this kernel cannot keep them off the network"
        return summary

    def warning(self) -> str | None:
        """What to tell the user once when they trust a deck; ``None`` if nothing."""
        return None if self.complete else self.summary()


def available_confinement() -> Confinement:
    """What this kernel can enforce for confined runs (asks the kernel; no torch)."""
    return Confinement(landlock.abi_version())
