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

    def record(self) -> dict:
        """Plain data (for a JSON file) that :func:`from_record` turns back into this Text."""
        return {"template": self.template,
                "args": {k: v.record() if isinstance(v, Text) else v if isinstance(
                    v, (int, float)) else str(v) for k, v in self.args.items()}}


def from_record(record, english: str) -> str:
    """The :class:`Text` that ``record`` (:meth:`Text.record`, read from a file) describes,
    where it is plain data and says ``english``; otherwise ``english`` itself."""
    def build(r, depth=0):
        if not isinstance(r, dict) or depth > 4 or not isinstance(r.get("template"), str) \
                or not isinstance(r.get("args"), dict):
            raise ValueError("not a Text record")
        args = {}
        for key, value in r["args"].items():
            if isinstance(value, dict):
                value = build(value, depth + 1)
            elif not isinstance(value, (str, int, float)) or isinstance(value, bool):
                raise ValueError("not a Text record")
            args[str(key)] = value
        if _formatted_length(r["template"], args) > len(english):
            raise ValueError("not the text it says")  # checked before anything is built
        return Text(r["template"], **args)

    try:
        text = build(record)
    except (ValueError, KeyError, IndexError, AttributeError, TypeError):
        return english
    return text if str(text) == english else english


def _formatted_length(template: str, args: dict) -> int:
    """How long ``template.format(**args)`` is, for a template of plain ``{name}`` fields;
    ValueError for any other (a format spec such as ``{x:>2000000000}`` or an attribute)."""
    import string

    length = 0
    for literal, name, spec, conversion in string.Formatter().parse(template):
        length += len(literal)
        if name is None:
            continue
        if spec or conversion or not name.isidentifier() or name not in args:
            raise ValueError("not a plain template")
        length += len(str(args[name]))
    return length


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
