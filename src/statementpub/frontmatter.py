"""YAML front matter with line numbers, strictly.

PyYAML composes the node tree with its *base* resolver, so no scalar is
retyped the YAML 1.1 way (``Yes``, ``NO``, ``0123`` and ``2018-09-20`` all stay
the text written); every value keeps the 1-based file line of its key, and a
key repeated in one mapping is an error naming the second occurrence's line
(common loaders silently keep the last).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import yaml

from .errors import Diagnostic
from .text import describe_character

__all__ = ["YMap", "YScalar", "YSeq", "YValue", "read_front_matter"]

#: Bounds against alias bombs and pathological nesting.
MAX_NODES = 200_000
MAX_DEPTH = 32


@dataclass(frozen=True, slots=True)
class YScalar:
    value: str
    line: int
    plain: bool  # written without quotes or block indicator
    #: for a value of several paragraphs (parts of the parsed value separated by a
    #: blank line), the file line where each paragraph's text starts; () otherwise
    paragraph_lines: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class YSeq:
    items: tuple[YValue, ...]
    line: int


@dataclass(frozen=True, slots=True)
class YMap:
    #: (key, key line, value) in the order written
    entries: tuple[tuple[str, int, YValue], ...]
    line: int

    def get(self, key: str) -> YValue | None:
        for name, _, value in self.entries:
            if name == key:
                return value
        return None

    def key_line(self, key: str) -> int:
        for name, line, _ in self.entries:
            if name == key:
                return line
        return self.line


YValue = YScalar | YSeq | YMap


class _Reader:
    def __init__(self, path: str | None, first_line: int, text: str = "") -> None:
        self.text = text
        self.path = path
        self.first_line = first_line
        self.diagnostics: list[Diagnostic] = []
        self.count = 0

    def line(self, node: yaml.Node) -> int:
        return int(node.start_mark.line) + self.first_line

    def paragraph_lines(self, node: yaml.ScalarNode) -> tuple[int, ...]:
        """Where each paragraph of a scalar starts, read from its source text. In a
        literal block (``|``) one blank line separates paragraphs; in every other
        style a blank line is one line feed of the value, so two do."""
        raw = self.text[node.start_mark.index:node.end_mark.index].split("\n")
        first = self.line(node)
        if node.style in ("|", ">"):  # the text starts below the indicator
            raw, first = raw[1:], first + 1
        needed = 1 if node.style == "|" else 2
        starts: list[int] = []
        blanks = needed
        for number, text in enumerate(raw, first):
            if not text.strip():
                blanks += 1
                continue
            if blanks >= needed:
                starts.append(number)
            blanks = 0
        return tuple(starts)

    def error(self, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(message, self.path, line))

    def convert(self, node: yaml.Node, depth: int = 0) -> YValue:
        self.count += 1
        if self.count > MAX_NODES:
            raise _TooLarge(self.line(node), f"front matter has more than {MAX_NODES} values "
                            "(counting each repetition of a YAML alias)")
        if depth > MAX_DEPTH:
            raise _TooLarge(self.line(node), f"front matter is nested deeper than {MAX_DEPTH}")
        if isinstance(node, yaml.ScalarNode):
            plain = node.style is None
            value = str(node.value)
            paragraphs = self.paragraph_lines(node) if "\n" in value.strip() else ()
            return YScalar(value, self.line(node), plain, paragraphs)
        if isinstance(node, yaml.SequenceNode):
            return YSeq(tuple(self.convert(item, depth + 1) for item in node.value),
                        self.line(node))
        assert isinstance(node, yaml.MappingNode)
        entries: list[tuple[str, int, YValue]] = []
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = self.line(key_node)
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_line, "a key must be a plain word, not a list or mapping")
                continue
            key = str(key_node.value)
            if key == "<<":
                self.error(key_line, "YAML merge keys ('<<') are not allowed")
                continue
            if key in seen:
                self.error(key_line, f"duplicate key {key!r} (first given on line {seen[key]})")
                continue
            seen[key] = key_line
            entries.append((key, key_line, self.convert(value_node, depth + 1)))
        return YMap(tuple(entries), self.line(node))


def _flow_too_deep(text: str) -> int:
    """The 1-based line where ``[``/``{`` flow collections (outside quotes and
    comments, roughly) nest deeper than :data:`MAX_DEPTH`, or 0: where to point
    after PyYAML ran out of stack."""
    depth = 0
    quote = ""
    for number, line in enumerate(text.split("\n"), 1):
        index = 0
        while index < len(line):
            ch = line[index]
            if quote:
                if ch == "\\" and quote == '"':
                    index += 1
                elif ch == quote:
                    quote = ""
            elif ch in "\"'" and (index == 0 or line[index - 1] in " \t[{,:"):
                quote = ch
            elif ch == "#" and (index == 0 or line[index - 1] in " \t"):
                break
            elif ch in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return number
            elif ch in "]}":
                depth = max(0, depth - 1)
            index += 1
    return 0


_C1 = re.compile("[\x7f-\x9f]")


class _TooLarge(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def read_front_matter(
    text: str, *, path: str | None, first_line: int
) -> tuple[YValue | None, list[Diagnostic]]:
    """Parse front-matter YAML (``first_line``: the file line of its first line).

    Returns the value tree (``None`` when it could not be read) and diagnostics.
    """
    # YAML reads U+0085 (NEXT LINE) as a line break; STATEMENT_FORMAT.md ("The file")
    # makes it, and every control YAML would refuse too, an error at its line
    stray = _C1.search(text)
    if stray is not None:
        return None, [Diagnostic(f"the front matter holds "
                                 f"{describe_character(ord(stray.group(0)))}, which no "
                                 "edition can hold: remove it", path,
                                 text.count("\n", 0, stray.start()) + first_line)]
    reader = _Reader(path, first_line, text)
    try:
        node = yaml.compose(text, Loader=yaml.BaseLoader)  # noqa: S506 - base loader: no tags
    except RecursionError:
        # PyYAML composes nested collections recursively: ``[[[[...`` exhausts the
        # stack before _Reader can count the depth.
        line = _flow_too_deep(text)
        return None, [Diagnostic(f"front matter is nested deeper than {MAX_DEPTH}", path,
                                 line + first_line - 1 if line else first_line)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = int(mark.line) + first_line if mark is not None else first_line
        problem = exc.problem or exc.context or "invalid YAML"
        context = f" ({exc.context})" if exc.context and exc.problem else ""
        hint = ""
        if "mapping values are not allowed" in problem:
            hint = ("; a value that holds ': ' must be written in quotes, "
                    "as in  subtitle: \"We ask: stop the dam\"")
        elif "found character '\\t'" in problem or "found character '\t'" in problem:
            hint = "; indent with spaces, not tabs"
        return None, [Diagnostic(f"YAML syntax error: {problem}{context}{hint}", path, line)]
    except yaml.reader.ReaderError as exc:
        # A character YAML refuses (a control character): name its line.
        position = max(0, min(int(exc.position), len(text)))
        line = text.count("\n", 0, position) + first_line
        return None, [Diagnostic(f"the front matter holds "
                                 f"{describe_character(int(exc.character))}, which no edition "
                                 "can hold: remove it", path, line)]
    except yaml.YAMLError as exc:
        message = " ".join(str(exc).split())
        return None, [Diagnostic(f"YAML error: {message}", path, first_line)]
    if node is None:
        return None, []
    try:
        value = reader.convert(node)
    except _TooLarge as exc:
        return None, [Diagnostic(exc.message, path, exc.line)]
    except RecursionError:
        return None, [Diagnostic("front matter is nested too deeply", path, first_line)]
    return value, reader.diagnostics
