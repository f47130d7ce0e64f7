"""Text for people that the window shows in its own language.

A :class:`Text` is an ordinary ``str`` (the English sentence, so the command line, logs and
``str()`` see nothing new) that also keeps its template and arguments, so the window can
translate the template (``gui/i18n.py``) and fill in the same arguments. Engine code never
imports Qt: the window's translation catalogue collects the templates from ``Text(...)``
calls (``resources/translations/update.py``).
"""

from __future__ import annotations


class Text(str):
    """``Text("{dead} of {total} channels dead", dead=3, total=16)``: a str that remembers
    ``template`` and ``args``."""

    template: str
    args: dict

    def __new__(cls, template: str, /, **args):
        self = super().__new__(cls, template.format(**args) if args else template)
        self.template, self.args = template, args
        return self

    def __reduce__(self):  # pickles (e.g. to a worker process) as the English text
        return (str, (str(self),))


def plural(n: int, one: str, many: str, **args) -> Text:
    """``one`` or ``many`` (both templates with ``{n}``) as ``n`` asks."""
    return Text(one if n == 1 else many, n=n, **args)


def join(parts, sep: str = "; ") -> str:
    """``sep.join(parts)``, keeping each part's template: a Text whose template is the
    parts' templates joined."""
    parts = [p for p in parts if p]
    if not parts:
        return ""
    if len(parts) == 1:
        return parts[0]
    return JoinedText(parts, sep)


class JoinedText(str):
    """Several :class:`Text` shown as one line; the window translates each part."""

    def __new__(cls, parts, sep):
        self = super().__new__(cls, sep.join(parts))
        self.parts, self.sep = list(parts), sep
        return self
