"""The languages of labels and reports, and one way of holding translated text.

Text that the code writes in several languages is a :data:`Translated` tuple, one string
per language of :data:`LANGS` in that order (``("Firms", "企业数")``), and is read with
:func:`translate`. Registries read from data files (parameters, outputs, modes, cities,
scenarios) keep their ``*_zh`` columns, as their files spell them.
"""

from __future__ import annotations

#: Languages of labels, briefs and reports: English and Chinese.
LANGS: tuple[str, ...] = ("en", "zh")

#: A text in every language of :data:`LANGS`, in that order.
Translated = tuple[str, str]


def check_lang(lang: str) -> None:
    """Raise ``ValueError`` unless ``lang`` is one of :data:`LANGS`."""
    if lang not in LANGS:
        raise ValueError(f"lang: expected one of {', '.join(LANGS)}, got {lang!r}")


def translate(text: Translated, lang: str) -> str:
    """The text in ``lang``.

    Raises:
        ValueError: If ``lang`` is not one of :data:`LANGS`.
    """
    check_lang(lang)
    return text[LANGS.index(lang)]
