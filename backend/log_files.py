"""A log file several processes share, rotated at midnight and kept a number of days.

The refusal log (``kindred.security``) is written by every gunicorn worker and the Celery worker
into one file. The standard library's ``TimedRotatingFileHandler`` assumes one writer: each process
rotates on its own, and the second to do so deletes the dated file the first just made and renames
the new day's file over it. Here the rotation is a hard link that fails when the dated file exists,
so only the first process rotates and the others just reopen the file. In the instant between the
first one's link and its unlink, another process may reopen the old file: its lines then land in
the previous day's file, never lost.
"""

from __future__ import annotations

import contextlib
import os
import time
from logging.handlers import TimedRotatingFileHandler


class SharedTimedRotatingFileHandler(TimedRotatingFileHandler):
    def doRollover(self) -> None:
        if self.stream:
            self.stream.close()
            self.stream = None  # type: ignore[assignment]  # reopened below or on first write
        # The rollover happens at the end of a period: name the file for the period that ended
        # (its last second, so a daylight-saving change does not move the name a day).
        ended = (
            time.gmtime(self.rolloverAt - 1) if self.utc else time.localtime(self.rolloverAt - 1)
        )
        dated = self.rotation_filename(f"{self.baseFilename}.{time.strftime(self.suffix, ended)}")
        try:
            os.link(self.baseFilename, dated)
        except (FileExistsError, FileNotFoundError):
            pass  # another process rotated first, or nothing was written in that period
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.baseFilename)
        if self.backupCount > 0:
            for old in self.getFilesToDelete():
                with contextlib.suppress(FileNotFoundError):
                    os.remove(old)
        if not self.delay:
            self.stream = self._open()
        now = int(time.time())
        next_at = self.computeRollover(now)
        while next_at <= now:
            next_at += self.interval
        self.rolloverAt = next_at
