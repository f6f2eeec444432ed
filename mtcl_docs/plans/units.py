"""Recognising a unit from what people write: its name, its code, or a file name."""

from __future__ import annotations

import difflib
import unicodedata

from mtcl_docs.load.model import Unit
from mtcl_docs.names import fold, slug


class UnitIndex:
    """Finds units of one organisation by name or code, however they were typed."""

    def __init__(self, units: list[Unit]):
        self.units = units
        self._by_key: dict[str, Unit] = {}
        for unit in units:
            self._by_key[fold(unit.name)] = unit
            self._by_key[fold(unit.code)] = unit

    def find(self, text: str) -> Unit | None:
        key = fold(text).strip(" .;,:")
        return self._by_key.get(key)

    def closest(self, text: str) -> Unit | None:
        """The unit a misspelt name most likely means (`Khoa Báo trí` → Khoa Báo chí), if any."""
        near = difflib.get_close_matches(fold(text), list(self._by_key), n=1, cutoff=0.8)
        return self._by_key[near[0]] if near else None

    def loosely_typed(self, text: str, unit: Unit) -> bool:
        """Found only because case and diacritics are ignored (`Khoa Bao chi`): worth a note."""
        typed = unicodedata.normalize("NFC", " ".join(text.split())).strip(" .;,:")
        return typed not in (unit.name, unit.code) and typed.lower() not in (
            unit.name.lower(), unit.code.lower()
        )  # fmt: skip

    def in_title(self, title: str) -> Unit | None:
        """The unit named after `ĐƠN VỊ:` in a plan's title (or anywhere in it, longest name first)."""
        folded = fold(title)
        after = folded.split("don vi:", 1)[1].strip(" .:") if "don vi:" in folded else ""
        if after and (unit := self.find(after)):
            return unit
        for unit in sorted(self.units, key=lambda u: -len(u.name)):
            if fold(unit.name) in folded:
                return unit
        return None

    def in_file_name(self, stem: str) -> Unit | None:
        """A file named after the unit: `khoa-bao-chi.docx`, `KBC_ke_hoach.xlsx`."""
        words = slug(stem)
        padded = f"-{words}-"
        for unit in sorted(self.units, key=lambda u: -len(u.name)):
            if slug(unit.name) in words or f"-{slug(unit.code)}-" in padded:
                return unit
        return None
