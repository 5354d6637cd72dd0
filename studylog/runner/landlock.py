"""Landlock through three raw syscalls (ctypes): no package, no privileges.

Landlock lets an unprivileged process give up access for itself and every
process it starts, for good: the kernel then refuses any file access not
allowed by a rule, TCP ``connect``/``bind`` (ABI 4), and signals or abstract
Unix sockets reaching processes outside the sandbox (ABI 6).  See the kernel's
``Documentation/userspace-api/landlock.rst``.  Linux 5.13+; ``abi_version()``
is 0 where the kernel lacks it or has it turned off.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterable

# Syscall numbers are the same on every architecture (added after the unification).
_CREATE_RULESET, _ADD_RULE, _RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
PR_SET_NO_NEW_PRIVS = 38

# Filesystem rights (include/uapi/linux/landlock.h), by the ABI that added them.
EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
_FS_ABI1 = (1 << 13) - 1  # EXECUTE .. MAKE_SYM
REFER, TRUNCATE, IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
# Rights that mean something for a file (a rule on a file may hold only these).
_FILE_RIGHTS = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV
READ = READ_FILE | READ_DIR | EXECUTE
_NET_BIND_TCP, _NET_CONNECT_TCP = 1 << 0, 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET, _SCOPE_SIGNAL = 1 << 0, 1 << 1


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1  # __attribute__((packed)) in the kernel header
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def abi_version() -> int:
    """The kernel's Landlock ABI version (0: not available)."""
    try:
        version = int(_libc().syscall(_CREATE_RULESET, None, ctypes.c_size_t(0),
                                      ctypes.c_uint32(_CREATE_RULESET_VERSION)))
    except (OSError, AttributeError):
        return 0
    return max(version, 0)


def all_fs_rights(abi: int) -> int:
    """Every filesystem right the kernel with ``abi`` knows (all are then denied by
    default)."""
    rights = _FS_ABI1
    if abi >= 2:
        rights |= REFER
    if abi >= 3:
        rights |= TRUNCATE
    if abi >= 5:
        rights |= IOCTL_DEV
    return rights


def _check(result: int, what: str) -> int:
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"landlock {what}: {os.strerror(err)}")
    return result


def restrict_self(abi: int, rules: Iterable[tuple[str, int]]) -> None:
    """Confine this process (and all it starts) to ``rules``: (path, rights) pairs.

    Every filesystem right the ABI knows is denied except beneath a rule's path;
    from ABI 4 TCP connect and bind are denied; from ABI 6 signals and abstract
    Unix sockets cannot reach processes outside.  A path that does not exist is
    skipped.  Sets ``no_new_privs`` (required to use Landlock without privileges).
    Raises ``OSError`` if the kernel refuses.
    """
    libc = _libc()
    handled = all_fs_rights(abi)
    attr = _RulesetAttr(handled, 0, 0)
    size = 8
    if abi >= 4:
        attr.handled_access_net = _NET_BIND_TCP | _NET_CONNECT_TCP
        size = 16
    if abi >= 6:
        attr.scoped = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL
        size = 24
    ruleset = _check(libc.syscall(_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size),
                                  ctypes.c_uint32(0)), "create_ruleset")
    try:
        for path, rights in rules:
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                allowed = rights & handled
                if not os.path.isdir(path):
                    allowed &= _FILE_RIGHTS
                beneath = _PathBeneathAttr(allowed, fd)
                _check(libc.syscall(_ADD_RULE, ctypes.c_int(ruleset),
                                    ctypes.c_int(_RULE_PATH_BENEATH), ctypes.byref(beneath),
                                    ctypes.c_uint32(0)), f"add_rule {path}")
            finally:
                os.close(fd)
        _check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")
        _check(libc.syscall(_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)),
               "restrict_self")
    finally:
        os.close(ruleset)
