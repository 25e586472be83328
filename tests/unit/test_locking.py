"""sitegen.locking: one build at a time writes into an output folder."""

from __future__ import annotations

from pathlib import Path

from sitegen import locking


def test_a_second_build_waits_then_gives_up_and_gets_the_lock_once_released(tmp_path: Path) -> None:
    out = tmp_path / "www" / "public"
    first = locking.OutputLock(out)
    assert first.acquire(0, lambda: None) and first.created and out.is_dir()
    told: list[bool] = []
    second = locking.OutputLock(out)
    assert not second.acquire(0.3, lambda: told.append(True))
    assert told == [True]  # told once that it waits
    first.release()
    assert second.acquire(0, lambda: None) and not second.created
    second.release()


def test_a_folder_removed_and_made_again_is_locked_afresh(tmp_path: Path) -> None:
    out = tmp_path / "public"
    lock = locking.OutputLock(out)
    assert lock.acquire(0, lambda: None)
    lock.release()
    out.rmdir()
    again = locking.OutputLock(out)
    assert again.acquire(0, lambda: None) and again.created
    again.release()
