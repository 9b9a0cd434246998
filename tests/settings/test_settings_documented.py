"""Every setting is documented in docs/configuration.md: a new key without a row fails here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel

from monitor.settings import Settings

DOC = Path(__file__).resolve().parents[2] / "docs" / "configuration.md"
LISTS = {"feeds", "subscribers"}


def setting_keys(model: type[BaseModel], prefix: str = "") -> Iterator[str]:
    for name, field in model.model_fields.items():
        if name in ("source", "locations"):
            continue
        nested = next(
            (a for a in (field.annotation, *getattr(field.annotation, "__args__", ())) if _is_model(a)), None
        )
        label = f"{prefix}{name}[]" if name in LISTS else f"{prefix}{name}"
        if nested is not None:
            yield from setting_keys(nested, label + ".")
        else:
            yield label


def _is_model(candidate: object) -> bool:
    return isinstance(candidate, type) and issubclass(candidate, BaseModel)


def test_every_setting_has_a_row_in_the_configuration_reference() -> None:
    text = DOC.read_text(encoding="utf-8")
    missing = [key for key in setting_keys(Settings) if f"| `{key}` |" not in text]
    assert missing == []
