"""The one base of the errors a person can act on.

Every error that studylog raises for something the user got wrong or can fix (a bad
file, an unknown card, a locked database, a snippet that cannot start) derives from
``StudylogError``; its message is one line. The CLI prints it as ``error: ...`` and the
app shows it as a one-line notification. Anything else is a bug: the app logs its
traceback and says where. The runner and the core both import this module, so it lives
above them and imports nothing.
"""

from __future__ import annotations


class StudylogError(Exception):
    """Something the user can fix; ``str(error)`` is one line saying what."""
