"""A recent list (File → Open Recent…): entries most recent first, one a line, in one plain-text
settings key, each validated when read."""

from __future__ import annotations

import json

from ..engine.settings import MAX_TEXT

MAX_RECENT = 8
MAX_ENTRY = 1000  # a longer path is not remembered (the whole list must fit one setting)


class RecentList:
    """``valid(entry)`` says whether an entry read back from the settings may be offered."""

    def __init__(self, settings, key: str, valid=lambda entry: True, limit: int = MAX_RECENT):
        self.settings, self.key, self.valid, self.limit = settings, key, valid, limit

    def entries(self) -> list[str]:
        seen: list[str] = []
        for line in self.settings.text(self.key, "").split("\n"):
            if line.strip() and len(line) <= MAX_ENTRY and line not in seen and self.valid(line):
                seen.append(line)
        return seen[:self.limit]

    def add(self, entry: str) -> None:
        """Put ``entry`` first (it moves up if it was listed)."""
        if not entry.strip() or "\n" in entry or "\x00" in entry or len(entry) > MAX_ENTRY:
            return
        self._store([entry] + [e for e in self.entries() if e != entry])

    def remove(self, entry: str) -> None:
        self._store([e for e in self.entries() if e != entry])

    def _store(self, entries: list[str]) -> None:
        entries = entries[:self.limit]
        while len(json.dumps("\n".join(entries), ensure_ascii=False)) > MAX_TEXT:
            entries.pop()  # the oldest go first: what is kept reads back whole
        self.settings.set(self.key, "\n".join(entries))

    def fill(self, menu, text_of, pick, empty_text: str) -> None:
        """``menu`` lists the entries (``text_of(entry)`` each); choosing one calls
        ``pick(entry)``; ``empty_text`` shows, disabled, when there are none."""
        menu.clear()
        for entry in self.entries():
            action = menu.addAction(text_of(entry))
            action.setData(entry)
            action.triggered.connect(lambda _=False, e=entry: pick(e))
        if menu.isEmpty():
            menu.addAction(empty_text).setEnabled(False)
