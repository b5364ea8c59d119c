"""Writing a text file atomically: a crash mid-write never leaves a truncated file.

The text goes to a temporary file in the same folder, is flushed and fsynced, then renamed over
the target; on any failure the temporary file is removed and the old file stays. This is what
QSaveFile does, done without Qt so that notebooks and scripts can save too.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def save_text(text: str, path: str | os.PathLike[str]) -> None:
    """Write `text` to `path` atomically (a session's text from normgui.session.dumps, say:
    apart from it, so that the slow part, writing, can be done on another thread)."""
    target = Path(path)
    if target.is_symlink():  # write where the link points, and keep the link
        target = target.resolve()
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            # mkstemp makes the file private (0600): give it the mode a plain open() would
            # give, or the mode of the file it replaces.
            os.chmod(tmp_name, _file_mode(target))
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def _file_mode(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0o022)  # reading the umask means setting it: put it straight back
        os.umask(umask)
        return 0o666 & ~umask
