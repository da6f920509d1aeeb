"""The builders of one batch, in this process or spread over worker processes.

Workers are forked, so they inherit the lock module's at-fork hooks: they die
with the parent and never hold its lock. A record goes to the worker its id
hashes to, so the copies of one id in a batch meet in one builder, which keeps
the last (Whoosh's `update_document` would keep both). Each worker runs a
`SegmentBuilder` (index.segments) and sends back what it built.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import zlib
from typing import Any

from statements.index.segments import Built, SegmentBuilder
from statements.scraper.record import Statement

WORKERS = 2
MESSAGE = 50  # records per message to a worker
INBOX = 4  # messages waiting per worker before the parent waits


def _serve(main: Any, limit: int | None, inbox: Any, outbox: Any) -> None:
    """A worker process: build from the records it is sent until None, then reply.

    The builder is made here, after the fork: its segment files are this process's
    alone (a copy made before the fork would share their file offsets)."""
    builder = None
    try:
        builder = SegmentBuilder(main, limit)
        while True:
            message = inbox.get()
            if message is None:
                break
            for record, fp in message:
                builder.add(record, fp)
        outbox.put(("done", builder.finish()))
    except BaseException as exc:  # sent to the parent, which raises it
        if builder is not None:
            builder.cancel()
        outbox.put(("error", _portable(exc)))


def _portable(exc: BaseException) -> tuple[str, int | None, str]:
    """An exception as plain values (not every Whoosh exception pickles)."""
    return type(exc).__name__, getattr(exc, "errno", None), str(exc)


class WorkerError(RuntimeError):
    """A writer worker process failed or died."""


def _raise(info: tuple[str, int | None, str]) -> None:
    name, err, text = info
    if err is not None:  # a full disk, a read-only folder: said as such upstream
        raise OSError(err, os.strerror(err), text)
    raise WorkerError(f"a writer worker failed ({name}: {text})")


class Builders:
    """The builders of one batch: in this process, or `procs` worker processes."""

    def __init__(self, main: Any, procs: int, limit: int | None = None):
        self.procs = procs
        self.local: SegmentBuilder | None = None
        self.workers: list[Any] = []
        self.inboxes: list[Any] = []
        self.buffers: list[list[tuple[Statement, str]]] = []
        if procs <= 1:
            self.local = SegmentBuilder(main, limit)
            return
        context = multiprocessing.get_context("fork")
        self.outbox = context.Queue()
        for _ in range(procs):
            inbox = context.Queue(INBOX)
            proc = context.Process(target=_serve, args=(main, limit, inbox, self.outbox))
            proc.daemon = True
            proc.start()
            self.workers.append(proc)
            self.inboxes.append(inbox)
            self.buffers.append([])
        self.replies: list[Any] = []

    def add(self, record: Statement, fp: str) -> None:
        if self.local is not None:
            self.local.add(record, fp)
            return
        k = zlib.crc32(record.id.encode("utf-8")) % self.procs
        self.buffers[k].append((record, fp))
        if len(self.buffers[k]) >= MESSAGE:
            self._send(k, self.buffers[k])
            self.buffers[k] = []

    def _send(self, k: int, message: Any) -> None:
        while True:
            try:
                self.inboxes[k].put(message, timeout=0.5)
                return
            except queue.Full:
                self._check()

    def _check(self) -> None:
        """Raise a worker's error, or say that one died without a word."""
        try:
            while True:
                reply = self.outbox.get_nowait()
                if reply[0] == "error":
                    _raise(reply[1])
                self.replies.append(reply)
        except queue.Empty:
            pass
        for proc in self.workers:
            if not proc.is_alive() and proc.exitcode not in (0, None):
                raise WorkerError(f"a writer worker process died (exit code {proc.exitcode})")

    def finish(self) -> Built:
        if self.local is not None:
            return self.local.finish()
        for k in range(self.procs):
            if self.buffers[k]:
                self._send(k, self.buffers[k])
                self.buffers[k] = []
            self._send(k, None)
        out = Built()
        while len(self.replies) < self.procs:
            try:
                reply = self.outbox.get(timeout=0.5)
            except queue.Empty:
                self._check()
                if len(self.replies) >= self.procs or any(p.is_alive() for p in self.workers):
                    continue
                try:  # every worker has ended: their replies are in the queue or lost
                    reply = self.outbox.get(timeout=5)
                except queue.Empty:
                    raise WorkerError("a writer worker ended without its segments") from None
            if reply[0] == "error":
                _raise(reply[1])
            self.replies.append(reply)
        for _kind, built in self.replies:
            out.main += built.main
        for proc in self.workers:
            proc.join()
        return out

    def cancel(self) -> None:
        """Stop the workers (a failed or interrupted batch); nothing is committed."""
        if self.local is not None:
            self.local.cancel()
            return
        for proc in self.workers:
            if proc.is_alive():
                proc.kill()
        for proc in self.workers:
            proc.join(timeout=5)
        for box in [*self.inboxes, self.outbox]:
            box.cancel_join_thread()
            box.close()
