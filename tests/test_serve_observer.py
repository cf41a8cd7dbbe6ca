"""``explainer serve`` hears of saved files from the operating system, and falls back to
MkDocs' polling when the system refuses (tests/test_serve.py drives the whole preview)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from watchdog.events import FileSystemEventHandler

from generator.adapters.serve import ChangeObserver


class Seen(FileSystemEventHandler):
    def __init__(self) -> None:
        self.paths: list[str] = []
        self.event = threading.Event()

    def on_any_event(self, event) -> None:  # type: ignore[no-untyped-def]
        if not event.is_directory:
            self.paths.append(str(event.src_path))
            self.event.set()


def saved_file_is_seen(observer: ChangeObserver, folder: Path) -> list[str]:
    seen = Seen()
    (folder / "read.yaml").write_text("sources: []\n", "utf-8")
    observer.schedule(seen, str(folder), recursive=True)
    observer.start()
    try:
        # Reading a watched file is no change (every build reads them all): only the write
        # after it is reported, and events arrive in order.
        assert (folder / "read.yaml").read_text("utf-8") == "sources: []\n"
        (folder / "sub").mkdir()
        (folder / "sub" / "facts.yaml").write_text("facts: []\n", "utf-8")
        assert seen.event.wait(timeout=30)
        assert not any(p.endswith("read.yaml") for p in seen.paths)
        return seen.paths
    finally:
        observer.stop()
        observer.join(timeout=10)


def test_the_operating_system_reports_saved_files(tmp_path: Path) -> None:
    from watchdog.observers.polling import PollingObserver

    observer = ChangeObserver()
    assert not isinstance(observer._observer, PollingObserver)  # inotify here
    paths = saved_file_is_seen(observer, tmp_path)
    assert observer.native
    assert any(p.endswith("facts.yaml") for p in paths)


def test_polling_takes_over_when_the_system_refuses(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from watchdog.observers.polling import PollingObserver

    observer = ChangeObserver(polling_interval=0.1)

    def refuse() -> None:
        raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(observer._observer, "start", refuse)
    paths = saved_file_is_seen(observer, tmp_path)
    assert not observer.native
    assert isinstance(observer._observer, PollingObserver)
    assert any(p.endswith("facts.yaml") for p in paths)
