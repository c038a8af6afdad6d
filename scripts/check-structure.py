#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Check ruralstat's target structure: layering, imports and sizes.

CI runs this. It reads Package.swift as text (it never runs swift),
Sources/LAYERS, and every Swift file under Sources/ and Tests/, then checks:

  A  declared       A target imports only the modules it declares in
                    Package.swift, or system modules. An undeclared import
                    builds only because another target happened to pull the
                    module in, and breaks when that target changes.
  B  inward         A target depends only on targets in strictly lower layers
                    of Sources/LAYERS: nothing sideways, nothing upward, so a
                    layer can be read, tested and changed without the ones
                    above it. A target missing from LAYERS fails too.
  C  restricted     The daemon is imported only by the executable and by its
                    own and the end-to-end tests; the demo province never by
                    production code; test set-up (the `tests:` layers) only
                    by test targets.
  D  file size      No Swift file under Sources/ over 400 lines, so a file
                    stays one subject (EXEMPT_FILES lists the few exceptions,
                    which still fail over 700).
  E  function size  No function under Sources/ over 80 lines, so each reads
                    as a few named steps (EXEMPT_FUNCTIONS lists exceptions).
  F  tests          Every library target under Sources/ has a test target
                    Tests/<Name>Tests (UNTESTED_TARGETS lists exceptions).

Each violation is printed as `path:line: what is wrong and what to do`, then
a summary line. Exit status: 0 clean, 1 violations, 2 usage error.

    scripts/check-structure.py [--root DIR] [--quiet] [--list]

--quiet prints violations only (no notes; the summary only when something
fails). --list prints the target graph by layer instead of checking.
"""

from __future__ import annotations

import argparse
import bisect
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

# --------------------------------------------------------------------------
# Settings: the limits, and the listed exceptions (each with its reason).
# --------------------------------------------------------------------------

FILE_LINES_MAX = 400            # rule D
EXEMPT_FILE_LINES_MAX = 700     # rule D, for a file in EXEMPT_FILES
FUNCTION_LINES_MAX = 80         # rule E

# Rule D: path (relative to the root) -> why the file may pass 400 lines.
EXEMPT_FILES: dict[str, str] = {}

# Rule E: "path::name" -> why the function may pass 80 lines. The name is a
# func's or computed property's bare name (`parse`, `total`), or the keyword
# for the others (`init`, `deinit`, `subscript`, `didSet`, `willSet`); it
# covers every overload of that name in that file.
EXEMPT_FUNCTIONS: dict[str, str] = {
    "Sources/XLSX/Reader/XMLScanner.swift::next":
        "the tokenizer's core loop: split into two inlined helpers it ran 3 % more instructions (callgrind, 100,000 rows)",
}

# Rule F: library target -> why it has no test target.
UNTESTED_TARGETS: dict[str, str] = {
    "CellModel": "two value types the reader hands out; XLSXTests/CellValueTests checks them as the reader gives them",
}

# Rule C: target -> (the only targets that may import it, what to do instead).
RESTRICTED_IMPORTS: dict[str, tuple[frozenset[str], str]] = {
    "RuralStatDaemon": (
        frozenset({"ruralstat", "RuralStatDaemonTests", "EndToEndTests"}),
        "move what it needs out of the daemon into a lower target",
    ),
    "RuralStatDemo": (
        frozenset({"ruralstat", "RuralStatBench", "RuralStatDemoTests", "RuralStatDaemonTests",
                   "RuralStatPublishingTests", "RuralStatAdminTests", "EndToEndTests", "RuralStatTesting"}),
        "no library target uses the demo province (only the command line's `demo` and `init --demo`, the bench and tests); pass what it needs in",
    ),
}

# Test targets that sit above every layer (they run the built binaries).
TOP_TEST_TARGETS = frozenset({"EndToEndTests"})

# Rule A: modules of the toolchain and the platform, never declared.
SYSTEM_MODULES = frozenset({
    # the list the project agreed on
    "Foundation", "FoundationEssentials", "Dispatch", "Glibc", "Musl",
    "Darwin", "Testing", "XCTest", "Synchronization", "os", "_Concurrency",
    "CoreFoundation",
    # further modules that ship with the Swift toolchain itself
    "Swift", "FoundationNetworking", "FoundationXML",
    "FoundationInternationalization", "RegexBuilder", "_StringProcessing",
    "Observation",
})

# Rule A: an external product whose module names differ from its own name.
PRODUCT_MODULES: dict[str, frozenset[str]] = {}

RULES = {
    "A": "declared",
    "B": "inward",
    "C": "restricted",
    "D": "file size",
    "E": "function size",
    "F": "tests",
}

LAYERS_FILE = "Sources/LAYERS"


class UsageError(Exception):
    """The check cannot run (bad root, no Package.swift, no LAYERS)."""


@dataclass(frozen=True)
class Finding:
    """One violation (or, with note=True, one remark that does not fail)."""
    rule: str
    path: str
    line: int
    message: str
    note: bool = False

    def render(self) -> str:
        tag = "note: " if self.note else ""
        return f"{self.path}:{self.line}: {tag}{self.message}"


# --------------------------------------------------------------------------
# Swift lexing: find comments and string literals so that everything else
# (imports, declarations, braces) is read from code alone.
# --------------------------------------------------------------------------

def _skip_block_comment(src: str, i: int) -> int:
    """End of the /* */ comment starting at i (Swift block comments nest)."""
    depth, n = 0, len(src)
    while i < n:
        if src.startswith("/*", i):
            depth += 1
            i += 2
        elif src.startswith("*/", i):
            depth -= 1
            i += 2
            if depth == 0:
                return i
        else:
            i += 1
    return n


def _hashes(src: str, i: int) -> int:
    """How many `#` start at i."""
    j = i
    while j < len(src) and src[j] == "#":
        j += 1
    return j - i


def _after_hashes(src: str, i: int) -> str:
    """The character after the run of `#` at i ('' at the end)."""
    j = i + _hashes(src, i)
    return src[j:j + 1]


def _skip_string(src: str, i: int) -> int:
    """End of the string literal starting at i.

    Handles "..." and \"\"\"...\"\"\", raw strings #"..."# (any number of #),
    escapes (\\" and, in raw strings, \\#"), and interpolations \\( ... ),
    whose code may hold parentheses, braces, comments and strings of its own.
    A single-line string left open ends at the end of its line.
    """
    n = len(src)
    k = _hashes(src, i)
    j = i + k
    multiline = src.startswith('"""', j)
    j += 3 if multiline else 1
    close = ('"""' if multiline else '"') + "#" * k
    escape = "\\" + "#" * k
    while j < n:
        if src.startswith(escape, j):
            j += len(escape)
            if j < n and src[j] == "(":
                j = _skip_code(src, j + 1, [], interpolation=True)
            else:
                j += 1          # the escaped character
            continue
        if src.startswith(close, j):
            return j + len(close)
        if src[j] == "\n" and not multiline:
            return j
        j += 1
    return n


def _skip_regex(src: str, i: int) -> int:
    """End of the extended regex literal #/.../# starting at i."""
    k = _hashes(src, i)
    end = src.find("/" + "#" * k, i + k + 1)
    return len(src) if end < 0 else end + 1 + k


def _skip_code(src: str, i: int, spans: list, interpolation: bool = False) -> int:
    """Scan code from i, appending (kind, start, end) for each comment and
    string literal to spans. In an interpolation, stop after its `)`."""
    n, depth = len(src), 0
    while i < n:
        c = src[i]
        if c == "/" and src.startswith("//", i):
            end = src.find("\n", i)
            end = n if end < 0 else end
            spans.append(("comment", i, end))
            i = end
        elif c == "/" and src.startswith("/*", i):
            end = _skip_block_comment(src, i)
            spans.append(("comment", i, end))
            i = end
        elif c == '"' or (c == "#" and _after_hashes(src, i) == '"'):
            end = _skip_string(src, i)
            spans.append(("string", i, end))
            i = end
        elif c == "#" and _after_hashes(src, i) == "/":
            end = _skip_regex(src, i)
            spans.append(("string", i, end))
            i = end
        else:
            if interpolation:
                if c == "(":
                    depth += 1
                elif c == ")":
                    if depth == 0:
                        return i + 1
                    depth -= 1
            i += 1
    return n


def lex(src: str) -> list[tuple[str, int, int]]:
    """The comments and string literals of a Swift source, in order."""
    spans: list[tuple[str, int, int]] = []
    _skip_code(src, 0, spans)
    return spans


def mask(src: str, spans, kinds=("comment", "string")) -> str:
    """src with the given spans blanked (newlines kept, so lines and
    offsets stay where they were)."""
    chars = list(src)
    for kind, start, end in spans:
        if kind in kinds:
            for p in range(start, end):
                if chars[p] != "\n":
                    chars[p] = " "
    return "".join(chars)


class LineIndex:
    """Offset -> 1-based line number."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)


def match_braces(code: str) -> dict[int, int]:
    """Offset of each `{` in (masked) code -> offset of its `}`."""
    pairs, stack = {}, []
    for i, c in enumerate(code):
        if c == "{":
            stack.append(i)
        elif c == "}" and stack:
            pairs[stack.pop()] = i
    return pairs


def match_bracket(code: str, i: int) -> int:
    """Offset of the bracket closing the one at i (any of ([{), or -1."""
    depth = 0
    for j in range(i, len(code)):
        if code[j] in "([{":
            depth += 1
        elif code[j] in ")]}":
            depth -= 1
            if depth == 0:
                return j
    return -1


# --------------------------------------------------------------------------
# Swift files: imports and functions.
# --------------------------------------------------------------------------

# `import X`, `public import X`, `@testable import X`, `@_spi(S) import X`,
# `@preconcurrency internal import X`, `import struct X.Y`, ...
IMPORT_RE = re.compile(
    r"^\s*(?:(?:@\w+(?:\([^)]*\))?|public|internal|package|private|fileprivate|open)\s+)*"
    r"import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func|actor)\s+)?"
    r"([A-Za-z_]\w*)")


@dataclass(frozen=True)
class Import:
    module: str
    path: str
    line: int


@dataclass(frozen=True)
class Function:
    kind: str       # func, init, deinit, subscript, var, willSet, didSet
    name: str       # bare name (the kind itself for init, deinit, ...)
    line: int       # line of the keyword
    end_line: int   # line of the body's closing brace

    @property
    def lines(self) -> int:
        return self.end_line - self.line + 1

    @property
    def label(self) -> str:
        return f"{self.kind} {self.name}" if self.kind in ("func", "var") else self.kind


def find_imports(code: str, path: str) -> list[Import]:
    """Imports in masked code (comments and strings already blanked).
    `#if canImport(...)` blocks are read like any other lines."""
    found = []
    for number, text in enumerate(code.split("\n"), start=1):
        for statement in text.split(";"):
            m = IMPORT_RE.match(statement)
            if m:
                found.append(Import(m.group(1), path, number))
    return found


DECL_RE = re.compile(r"(?<![\w.$`])(func|init|deinit|subscript|var|willSet|didSet)(?![\w$`])")
# a func's name: an identifier, a `quoted` one, or an operator (`<`, `==`)
FUNC_NAME_RE = re.compile(r"\s*(`[^`\n]+`|[A-Za-z_]\w*|[-/=+!*%<>&|^~?.]+)")
INIT_TAIL_RE = re.compile(r"[?!]?\s*[(<]")
SUBSCRIPT_TAIL_RE = re.compile(r"\s*[(<]")
DEINIT_TAIL_RE = re.compile(r"\s*\{")
VAR_HEAD_RE = re.compile(r"\s+(`[^`\n]+`|[A-Za-z_]\w*)\s*:(?!:)")
OBSERVER_TAIL_RE = re.compile(r"\s*(?:\(\s*\w+\s*\))?\s*\{")
NEXT_BRACE_RE = re.compile(r"\s*\{")
# A line starting with one of these begins a new declaration, so the
# signature being read had no body (a protocol requirement).
NEW_DECLARATION_RE = re.compile(
    r"[ \t]*(?:@|#|(?:func|var|let|init|deinit|subscript|case|static|class|struct|"
    r"enum|protocol|extension|typealias|associatedtype|import|public|private|"
    r"internal|fileprivate|open|package|mutating|nonmutating|override|final|"
    r"convenience|required|nonisolated|lazy|weak|unowned|dynamic|indirect|actor|"
    r"macro|prefix|postfix|infix|precedencegroup)\b)")
# `for var x: T in`, `if var x: T = ...`: pattern bindings, not properties.
BINDING_BEFORE_RE = re.compile(r"(?:\b(?:for|case|if|guard|while|let)|[,(])\s*$")


def _top_level(code: str, i: int):
    """The offsets from i on that lie outside parentheses and brackets, with
    their character: the walk both body finders below share."""
    depth = 0
    for j in range(i, len(code)):
        c = code[j]
        if c in "([":
            depth += 1
        elif c in ")]":
            depth -= 1
        elif depth <= 0:
            yield j, c


def _signature_body(code: str, i: int) -> int:
    """Offset of the `{` opening the body of the signature that starts at i,
    or -1 if it has none (a requirement): stops at `}`, `;`, or a line that
    starts another declaration, outside parentheses and brackets."""
    for j, c in _top_level(code, i):
        if c == "{":
            return j
        if c in "};":
            return -1
        if c == "\n" and NEW_DECLARATION_RE.match(code, j + 1):
            return -1
    return -1


def _computed_body(code: str, i: int) -> int:
    """For `var name: Type` read up to i, the offset of the `{` opening its
    accessors, or -1 if it is a stored property (`=`, end of line, ...)."""
    for j, c in _top_level(code, i):
        if c == "{":
            return j
        if c in "=;}":
            return -1
        if c == "\n":
            # The type ends the line: a brace may still open the next one.
            brace = NEXT_BRACE_RE.match(code, j)
            return brace.end() - 1 if brace else -1
    return -1


def find_functions(code: str) -> list[Function]:
    """Functions in masked code: func, init, deinit, subscript, computed
    properties (`var x: T {`) and property observers, each from its keyword's
    line to its closing brace's line. Nested ones are listed too, and count
    within their parent's span."""
    lines = LineIndex(code)
    braces = match_braces(code)
    found = []
    for m in DECL_RE.finditer(code):
        kind, after = m.group(1), m.end()
        name, body = kind, -1
        if kind == "func":
            nm = FUNC_NAME_RE.match(code, after)
            if not nm:
                continue
            name = nm.group(1).strip("`")
            body = _signature_body(code, nm.end())
        elif kind == "init":
            if INIT_TAIL_RE.match(code, after):
                body = _signature_body(code, after)
        elif kind == "subscript":
            if SUBSCRIPT_TAIL_RE.match(code, after):
                body = _signature_body(code, after)
        elif kind == "deinit":
            tail = DEINIT_TAIL_RE.match(code, after)
            if tail:
                body = tail.end() - 1
        elif kind == "var":
            line_start = code.rfind("\n", 0, m.start()) + 1
            if BINDING_BEFORE_RE.search(code, line_start, m.start()):
                continue
            head = VAR_HEAD_RE.match(code, after)
            if not head:
                continue
            name = head.group(1).strip("`")
            body = _computed_body(code, head.end())
        else:  # willSet / didSet, only where a statement may start
            before = m.start() - 1
            while before >= 0 and code[before].isspace():
                before -= 1
            tail = OBSERVER_TAIL_RE.match(code, after)
            if tail and (before < 0 or code[before] in "{};"):
                body = tail.end() - 1
        if body < 0 or body not in braces:
            continue
        found.append(Function(kind, name, lines.line(m.start()),
                              lines.line(braces[body])))
    return found


@dataclass
class SwiftFile:
    """One Swift file, read once: its raw text and its masked code."""
    path: str           # relative to the root, with /
    text: str
    code: str

    @classmethod
    def read(cls, root: Path, path: str) -> "SwiftFile":
        text = (root / path).read_text(encoding="utf-8", errors="replace")
        return cls(path, text, mask(text, lex(text)))

    @property
    def line_count(self) -> int:
        return len(self.text.splitlines())


# --------------------------------------------------------------------------
# Package.swift, read as text.
# --------------------------------------------------------------------------

TARGET_CALL_RE = re.compile(
    r"\.(target|executableTarget|testTarget|systemLibrary|binaryTarget|macro|plugin)\s*\(")
TARGET_KINDS = {
    "target": "library", "executableTarget": "executable", "testTarget": "test",
    "systemLibrary": "system", "binaryTarget": "binary", "macro": "macro",
    "plugin": "plugin",
}
LABEL_RE = re.compile(r"\s*(\w+)\s*:(?!:)")


@dataclass
class Target:
    """A target, as Package.swift declares it and/or as a folder holds it."""
    name: str
    kind: str                   # library, executable, test, system, binary, macro, plugin
    path: str                   # its folder, relative to the root
    line: int = 0               # its declaration's line in Package.swift (0: undeclared)
    # ("name" | "target" | "product", name), as written in `dependencies:`
    dependencies: list[tuple[str, str]] = field(default_factory=list)
    dependencies_readable: bool = True
    excludes: list[str] = field(default_factory=list)
    # filled in by load_project
    role: str = ""              # library, executable, system, test, support, other
    project_deps: set[str] = field(default_factory=set)
    external_modules: set[str] = field(default_factory=set)
    modules: set[str] = field(default_factory=set)      # modules it provides
    files: list[SwiftFile] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)

    @property
    def declared(self) -> bool:
        return self.line > 0


class PackageText:
    """Package.swift with its comments and strings located."""

    def __init__(self, src: str):
        self.src = src
        self.spans = lex(src)
        self.code = mask(src, self.spans)
        self.strings = [(s, e) for kind, s, e in self.spans if kind == "string"]
        self.lines = LineIndex(src)

    def string_values(self, start: int, end: int) -> list[str]:
        """The string literals between start and end, unquoted."""
        values = []
        for s, e in self.strings:
            if s >= start and e <= end:
                m = re.match(r'#*"(.*)"#*$', self.src[s:e], re.S)
                values.append(m.group(1) if m else self.src[s:e])
        return values

    def arguments(self, start: int, end: int) -> list[tuple[str | None, int, int]]:
        """The comma-separated items between start and end (outside nested
        brackets), each as (label or None, value start, value end)."""
        items, depth, item_start = [], 0, start
        for j in range(start, end + 1):
            c = self.code[j] if j < end else ","
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
            elif c == "," and depth == 0:
                if self.code[item_start:j].strip():
                    label = LABEL_RE.match(self.code, item_start, j)
                    if label:
                        items.append((label.group(1), label.end(), j))
                    else:
                        items.append((None, item_start, j))
                elif self.string_values(item_start, j):
                    items.append((None, item_start, j))
                item_start = j + 1
        return items

    def labelled(self, start: int, end: int) -> dict[str, tuple[int, int]]:
        return {label: (s, e) for label, s, e in self.arguments(start, end) if label}

    def call_arguments(self, open_paren: int) -> tuple[int, int]:
        return open_paren + 1, match_bracket(self.code, open_paren)

    def targets_range(self) -> tuple[int, int]:
        """Where the targets are declared: the `targets:` argument of
        `Package(...)` if there is one, else the whole file."""
        m = re.search(r"\bPackage\s*\(", self.code)
        if m:
            start, end = self.call_arguments(m.end() - 1)
            if end > 0:
                span = self.labelled(start, end).get("targets")
                if span:
                    return span
        return 0, len(self.code)


def _parse_dependencies(pkg: PackageText, start: int, end: int, target: Target) -> None:
    """Fill target.dependencies from the `dependencies:` value at start..end."""
    text = pkg.code[start:end]
    first = start + len(text) - len(text.lstrip())        # the `[`, if a list
    last = match_bracket(pkg.code, first) if text.strip().startswith("[") else -1
    if last < 0 or pkg.code[last + 1:end].strip():
        target.dependencies_readable = False               # a variable, a `+`, ...
        return
    for _, s, e in pkg.arguments(first + 1, last):
        item = pkg.code[s:e].strip()
        names = pkg.string_values(s, e)
        if not names:
            target.dependencies_readable = False
        elif not item:
            target.dependencies.append(("name", names[0]))
        elif item.startswith(".product"):
            inner = pkg.labelled(*pkg.call_arguments(pkg.code.index("(", s)))
            product = pkg.string_values(*inner["name"]) if "name" in inner else []
            target.dependencies.append(("product", (product or names)[0]))
        elif item.startswith(".target") or item.startswith(".byName"):
            inner = pkg.labelled(*pkg.call_arguments(pkg.code.index("(", s)))
            named = pkg.string_values(*inner["name"]) if "name" in inner else []
            kind = "target" if item.startswith(".target") else "name"
            target.dependencies.append((kind, (named or names)[0]))
        else:
            target.dependencies_readable = False


def parse_package(src: str) -> tuple[list[Target], int]:
    """The targets Package.swift declares, and the line of `targets:`."""
    pkg = PackageText(src)
    start, end = pkg.targets_range()
    targets, consumed = [], start
    for m in TARGET_CALL_RE.finditer(pkg.code, start, end):
        if m.start() < consumed:
            continue            # a `.target(name:)` inside a dependency list
        args_start, args_end = pkg.call_arguments(m.end() - 1)
        if args_end < 0:
            break
        consumed = args_end
        args = pkg.labelled(args_start, args_end)
        names = pkg.string_values(*args["name"]) if "name" in args else []
        if not names:
            continue
        kind = TARGET_KINDS[m.group(1)]
        name = names[0]
        paths = pkg.string_values(*args["path"]) if "path" in args else []
        default = f"Tests/{name}" if kind == "test" else f"Sources/{name}"
        target = Target(name=name, kind=kind, path=(paths[0] if paths else default).rstrip("/"),
                        line=pkg.lines.line(m.start()))
        if "dependencies" in args:
            _parse_dependencies(pkg, *args["dependencies"], target)
        if "exclude" in args:
            target.excludes = pkg.string_values(*args["exclude"])
        targets.append(target)
    return targets, pkg.lines.line(start)


# --------------------------------------------------------------------------
# Sources/LAYERS
# --------------------------------------------------------------------------

@dataclass
class Layer:
    names: list[str]
    comment: str
    line: int
    tests: bool                 # a `tests:` layer: test-only targets


@dataclass
class Layers:
    """The layers, lowest first. Production layers are ranked 0, 1, ...;
    `tests:` layers are ranked separately (they sit beside the tests)."""
    layers: list[Layer] = field(default_factory=list)
    rank: dict[str, int] = field(default_factory=dict)
    support_rank: dict[str, int] = field(default_factory=dict)
    line: dict[str, int] = field(default_factory=dict)
    problems: list[tuple[int, str]] = field(default_factory=list)

    @property
    def top(self) -> int:
        return sum(1 for layer in self.layers if not layer.tests)

    @classmethod
    def parse(cls, text: str) -> "Layers":
        result = cls()
        for number, raw in enumerate(text.splitlines(), start=1):
            body, _, comment = raw.partition("#")
            body = body.strip()
            if not body:
                continue
            tests = body.startswith("tests:")
            if tests:
                body = body[len("tests:"):].strip()
            names = body.split()
            if not names:
                result.problems.append((number, "an empty `tests:` layer: name its targets or drop the line"))
                continue
            layer = Layer(names, comment.strip(), number, tests)
            index = sum(1 for other in result.layers if other.tests == tests)
            for name in names:
                if name in result.line:
                    result.problems.append(
                        (number, f"{name} is listed twice (first on line {result.line[name]}): keep one"))
                    continue
                result.line[name] = number
                (result.support_rank if tests else result.rank)[name] = index
            result.layers.append(layer)
        return result


# --------------------------------------------------------------------------
# The project: targets, their files and imports, resolved against each other.
# --------------------------------------------------------------------------

@dataclass
class Project:
    root: Path
    targets: dict[str, Target]
    layers: Layers
    module_owner: dict[str, str]        # module name -> project target
    sources: list[SwiftFile]            # every Swift file under Sources/
    targets_line: int                   # line of `targets:` in Package.swift
    notes: list[Finding] = field(default_factory=list)

    def rank(self, name: str) -> float | None:
        """A target's height: its layer; a test target XTests just above X;
        the end-to-end tests above everything. None: not placed."""
        if name in self.layers.rank:
            return self.layers.rank[name]
        target = self.targets.get(name)
        if target is None or target.role != "test":
            return None
        if name in TOP_TEST_TARGETS:
            return self.layers.top
        tested = tested_target(name)
        if tested in self.layers.rank:
            return self.layers.rank[tested] + 0.5
        return None

    def describe_rank(self, name: str) -> str:
        r = self.rank(name)
        if name in self.layers.rank:
            return f"layer {int(r)}"
        if name in TOP_TEST_TARGETS:
            return "the top"
        return f"just above {tested_target(name)} (layer {int(r)})"

    def location(self, target: Target) -> tuple[str, int]:
        """Where to point for a whole target: its declaration, or `targets:`."""
        return "Package.swift", (target.line or self.targets_line)


def tested_target(test_name: str) -> str:
    return test_name[:-len("Tests")] if test_name.endswith("Tests") else ""


def _swift_paths(root: Path, folder: str, excludes=()) -> list[str]:
    """The Swift files under folder (recursively), minus excluded paths."""
    base = root / folder
    skipped = [(base / e).as_posix().rstrip("/") for e in excludes]
    found = []
    for directory, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs
                         if (Path(directory) / d).as_posix() not in skipped)
        for f in sorted(files):
            full = (Path(directory) / f).as_posix()
            if f.endswith(".swift") and full not in skipped:
                found.append(Path(full).relative_to(root).as_posix())
    return found


def _modulemap_modules(root: Path, folder: str) -> set[str]:
    names = set()
    for mm in ("module.modulemap", "module.map"):
        path = root / folder / mm
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            names.update(re.findall(r"^\s*(?:explicit\s+|framework\s+)*module\s+(\w+)", text, re.M))
    return names


def _discover_folders(root: Path) -> list[Target]:
    """Target folders on disk: Sources/* (Swift, or a module map) and
    Tests/* holding Swift files (fixture folders hold none)."""
    found = []
    for top in ("Sources", "Tests"):
        base = root / top
        if not base.is_dir():
            continue
        for entry in sorted(base.iterdir()):
            if not entry.is_dir():
                continue
            folder = f"{top}/{entry.name}"
            swift = _swift_paths(root, folder)
            if swift:
                if top == "Tests":
                    kind = "test"
                elif any(p.endswith("/main.swift") for p in swift) or any(
                        "@main" in (root / p).read_text(encoding="utf-8", errors="replace")
                        for p in swift):
                    kind = "executable"
                else:
                    kind = "library"
            elif top == "Sources" and _modulemap_modules(root, folder):
                kind = "system"
            else:
                continue
            found.append(Target(name=entry.name, kind=kind, path=folder))
    return found


def load_project(root: Path) -> Project:
    """Read Package.swift, Sources/LAYERS and the Swift files under root."""
    package_path = root / "Package.swift"
    layers_path = root / LAYERS_FILE
    if not package_path.is_file():
        raise UsageError(f"{root}: no Package.swift (is --root the repository?)")
    if not layers_path.is_file():
        raise UsageError(f"{root}: no {LAYERS_FILE}: write the layers first")
    declared, targets_line = parse_package(package_path.read_text(encoding="utf-8"))
    layers = Layers.parse(layers_path.read_text(encoding="utf-8"))

    targets: dict[str, Target] = {}
    notes = []
    for t in declared:
        targets[t.name] = t
        if not (root / t.path).is_dir() and t.kind != "binary":
            notes.append(Finding("A", "Package.swift", t.line,
                                 f"target {t.name} has no folder {t.path} yet", note=True))
    by_path = {t.path: t for t in declared}
    for folder in _discover_folders(root):
        if folder.path not in by_path and folder.name not in targets:
            targets[folder.name] = folder           # on disk, not declared

    # Roles: the `tests:` layers make test set-up, whatever it is declared as.
    for t in targets.values():
        if t.name in layers.support_rank:
            t.role = "support"
        elif t.kind in ("library", "executable", "system", "test"):
            t.role = t.kind
        else:
            t.role = "other"

    module_owner = {}
    for t in targets.values():
        t.modules = (_modulemap_modules(root, t.path) if t.kind == "system" else set()) or {t.name}
        for module in t.modules:
            module_owner[module] = t.name

    for t in targets.values():
        for how, name in t.dependencies:
            if how == "product" or (how == "name" and name not in targets):
                t.external_modules |= PRODUCT_MODULES.get(name, {name})
            else:
                t.project_deps.add(name)
        if t.role != "system" and (root / t.path).is_dir():
            t.files = [SwiftFile.read(root, p) for p in _swift_paths(root, t.path, t.excludes)]
            for f in t.files:
                t.imports.extend(find_imports(f.code, f.path))

    # Every Swift file under Sources/ (rules D and E), read once.
    read = {f.path: f for t in targets.values() for f in t.files}
    sources = [read.get(p) or SwiftFile.read(root, p) for p in _swift_paths(root, "Sources")]
    return Project(root, targets, layers, module_owner, sources, targets_line, notes)


# --------------------------------------------------------------------------
# The rules. Each returns its findings (violations, and notes).
# --------------------------------------------------------------------------

def dependency_edges(project: Project, t: Target):
    """(dependency, path, line, how) for each project target t depends on:
    one per import statement, and a declared dependency never imported at
    its Package.swift line."""
    edges, imported = [], set()
    for imp in t.imports:
        owner = project.module_owner.get(imp.module)
        if owner and owner != t.name:
            edges.append((owner, imp.path, imp.line, "imports"))
            imported.add(owner)
    for dep in sorted(t.project_deps - imported):
        if dep in project.targets and dep != t.name:
            edges.append((dep, "Package.swift", t.line, "declares"))
    return edges


def _what(t: Target, dep: str, how: str) -> str:
    return f"imports {dep}" if how == "imports" else f"{t.name} declares a dependency on {dep}"


def check_declared(project: Project) -> list[Finding]:
    """A: every import is declared in Package.swift, or a system module."""
    found = []
    for t in project.targets.values():
        if t.role in ("system", "other"):
            continue
        if not t.declared:
            found.append(Finding("A", "Package.swift", project.targets_line,
                                 f"target {t.name} ({t.path}) is not declared in Package.swift: "
                                 f"add it to `targets:` with its dependencies"))
            continue
        if not t.dependencies_readable:
            found.append(Finding("A", "Package.swift", t.line,
                                 f"the dependencies of {t.name} are not a literal list of names and "
                                 f".product/.target/.byName entries: write them inline so this check can read them"))
            continue
        allowed = set(SYSTEM_MODULES) | t.external_modules | {t.name}
        for dep in t.project_deps:
            allowed |= project.targets[dep].modules if dep in project.targets else {dep}
        for imp in t.imports:
            if imp.module not in allowed:
                found.append(Finding("A", imp.path, imp.line,
                                     f"imports {imp.module}, which target {t.name} does not declare in Package.swift"))
    return found


def check_inward(project: Project) -> list[Finding]:
    """B: every target is in LAYERS, and depends only on lower layers."""
    found = []
    layers = project.layers
    for number, problem in layers.problems:
        found.append(Finding("B", LAYERS_FILE, number, problem))
    for name, number in sorted(layers.line.items(), key=lambda kv: kv[1]):
        if name not in project.targets:
            found.append(Finding("B", LAYERS_FILE, number,
                                 f"{name} is not a target (yet): nothing to check", note=True))

    for t in sorted(project.targets.values(), key=lambda t: t.name):
        path, line = project.location(t)
        if t.role == "test":
            if project.rank(t.name) is None and not (tested_target(t.name) in project.targets):
                found.append(Finding("B", path, line,
                                     f"test target {t.name} is named after no target: call it <Target>Tests "
                                     f"after the target it tests (or list it in TOP_TEST_TARGETS)"))
        elif t.name not in layers.line:
            found.append(Finding("B", path, line,
                                 f"target {t.name} is not in {LAYERS_FILE}: add it to the layer it belongs to"))

        for dep, dpath, dline, how in dependency_edges(project, t):
            d = project.targets[dep]
            what = _what(t, dep, how)
            if d.role == "support" and t.role != "support":
                continue                        # rule C says who may
            if d.role == "test":
                found.append(Finding("B", dpath, dline,
                                     f"{what}, a test target: share test code through RuralStatTesting instead"))
                continue
            if t.role == "support":
                if d.role == "support":
                    if layers.support_rank[dep] >= layers.support_rank[t.name]:
                        found.append(Finding("B", dpath, dline,
                                             f"{what}, which is not in a lower `tests:` layer than {t.name}: "
                                             f"move it to a lower `tests:` line or drop the dependency"))
                elif d.role not in ("library", "system"):
                    found.append(Finding("B", dpath, dline,
                                         f"{what}, a {d.role} target: test set-up may import library targets only"))
                continue
            mine, theirs = project.rank(t.name), project.rank(dep)
            if mine is None or theirs is None:
                continue                        # reported above as not in LAYERS
            if theirs == mine:
                found.append(Finding("B", dpath, dline,
                                     f"{what}, which is in the same layer as {t.name} ({project.describe_rank(dep)}): "
                                     f"a sideways dependency; move the shared code down a layer, or put "
                                     f"{dep} in a lower layer if nothing there depends on {t.name}'s layer"))
            elif theirs > mine:
                found.append(Finding("B", dpath, dline,
                                     f"{what}, which is in a higher layer ({project.describe_rank(dep)}) than "
                                     f"{t.name} ({project.describe_rank(t.name)}): an upward dependency; "
                                     f"move the code {t.name} needs down, or let {dep} call {t.name} instead"))
    return found


def check_restricted(project: Project) -> list[Finding]:
    """C: the daemon, the demo and test set-up are imported only by the
    targets allowed to."""
    found = []
    for t in project.targets.values():
        for dep, path, line, how in dependency_edges(project, t):
            what = _what(t, dep, how)
            if dep in RESTRICTED_IMPORTS:
                allowed, advice = RESTRICTED_IMPORTS[dep]
                if t.name not in allowed:
                    found.append(Finding("C", path, line,
                                         f"{what}, which only {', '.join(sorted(allowed))} may import: {advice}"))
            if project.targets[dep].role == "support" and t.role not in ("test", "support"):
                found.append(Finding("C", path, line,
                                     f"{what}, which is test set-up: only test targets may import it"))
    return found


def check_file_sizes(project: Project) -> list[Finding]:
    """D: Swift files under Sources/ stay at most 400 lines."""
    found = []
    present = {f.path: f for f in project.sources}
    for f in project.sources:
        n = f.line_count
        reason = EXEMPT_FILES.get(f.path)
        if reason and n > EXEMPT_FILE_LINES_MAX:
            found.append(Finding("D", f.path, 1,
                                 f"file is {n} lines (at most {EXEMPT_FILE_LINES_MAX} even when exempt: {reason}): split it"))
        elif reason and n > FILE_LINES_MAX:
            found.append(Finding("D", f.path, 1, f"file is {n} lines, exempt: {reason}", note=True))
        elif n > FILE_LINES_MAX:
            found.append(Finding("D", f.path, 1,
                                 f"file is {n} lines (at most {FILE_LINES_MAX}): split it by subject"))
    for path, reason in EXEMPT_FILES.items():
        if path not in present:
            found.append(Finding("D", "scripts/check-structure.py", 1,
                                 f"EXEMPT_FILES lists {path}, which does not exist: drop the entry", note=True))
        elif present[path].line_count <= FILE_LINES_MAX:
            found.append(Finding("D", path, 1,
                                 f"EXEMPT_FILES no longer needed ({present[path].line_count} lines): drop the entry",
                                 note=True))
    return found


def check_function_sizes(project: Project) -> list[Finding]:
    """E: functions under Sources/ stay at most 80 lines."""
    found, used = [], set()
    for f in project.sources:
        for fn in find_functions(f.code):
            if fn.lines <= FUNCTION_LINES_MAX:
                continue
            key = f"{f.path}::{fn.name}"
            if key in EXEMPT_FUNCTIONS:
                used.add(key)
                found.append(Finding("E", f.path, fn.line,
                                     f"{fn.label} is {fn.lines} lines, exempt: {EXEMPT_FUNCTIONS[key]}", note=True))
            else:
                found.append(Finding("E", f.path, fn.line,
                                     f"{fn.label} is {fn.lines} lines (at most {FUNCTION_LINES_MAX}): "
                                     f"split it into named steps"))
    for key in sorted(set(EXEMPT_FUNCTIONS) - used):
        found.append(Finding("E", key.split("::")[0], 1,
                             f"EXEMPT_FUNCTIONS lists {key}, which is not over {FUNCTION_LINES_MAX} lines "
                             f"(or not there): drop the entry", note=True))
    return found


def check_tests(project: Project) -> list[Finding]:
    """F: every library target under Sources/ has Tests/<Name>Tests."""
    found = []
    tested = {t.name for t in project.targets.values()
              if t.role == "test" and t.path.startswith("Tests/") and t.files}
    for t in sorted(project.targets.values(), key=lambda t: t.name):
        if t.role != "library" or not t.path.startswith("Sources/"):
            continue
        path, line = project.location(t)
        if f"{t.name}Tests" in tested:
            if t.name in UNTESTED_TARGETS:
                found.append(Finding("F", path, line,
                                     f"{t.name} now has tests: drop it from UNTESTED_TARGETS", note=True))
        elif t.name in UNTESTED_TARGETS:
            found.append(Finding("F", path, line,
                                 f"{t.name} has no tests, exempt: {UNTESTED_TARGETS[t.name]}", note=True))
        else:
            found.append(Finding("F", path, line,
                                 f"library target {t.name} has no test target: add Tests/{t.name}Tests, "
                                 f"or list {t.name} in UNTESTED_TARGETS with the reason"))
    return found


CHECKS = (check_declared, check_inward, check_restricted,
          check_file_sizes, check_function_sizes, check_tests)


def run_checks(project: Project) -> list[Finding]:
    """Every finding, violations and notes, sorted by rule then place."""
    findings = list(project.notes)
    for check in CHECKS:
        findings.extend(check(project))
    return sorted(set(findings), key=lambda f: (f.rule, f.path, f.line, f.message))


def summary(findings: list[Finding], project: Project, count_notes: bool = True) -> str:
    """One line: OK, or the violations counted per rule (and the notes)."""
    violations = [f for f in findings if not f.note]
    notes = len(findings) - len(violations) if count_notes else 0
    tail = f"; {notes} note{'s' if notes != 1 else ''}" if notes else ""
    if not violations:
        return (f"check-structure: OK, {len(project.targets)} targets, "
                f"{len(project.sources)} Swift files under Sources/{tail}")
    counts = ", ".join(f"{rule} {name}: {sum(1 for v in violations if v.rule == rule)}"
                       for rule, name in RULES.items())
    return f"check-structure: {len(violations)} violations ({counts}){tail}"


# --------------------------------------------------------------------------
# --list: the target graph by layer.
# --------------------------------------------------------------------------

def project_dependencies(project: Project, t: Target) -> list[str]:
    return sorted({dep for dep, *_ in dependency_edges(project, t)},
                  key=lambda d: (project.rank(d) if project.rank(d) is not None else -1, d))


def render_graph(project: Project) -> str:
    """The layers, lowest first, each target with its kind and its project
    dependencies; then the test targets, and any target LAYERS misses."""
    width = max([len(n) for n in project.targets] + [len(n) for n in project.layers.line])

    def row(name: str, place: str = "") -> str:
        t = project.targets.get(name)
        if t is None:
            return f"    {name:<{width}}  (no such target yet)"
        kind = {"system": "C library", "support": "test set-up"}.get(t.role, t.role)
        deps = project_dependencies(project, t)
        text = f"    {name:<{width}}  {kind:<11} {place}"
        return (text + ("-> " + ", ".join(deps) if deps else "")).rstrip()

    out = [f"Targets by layer, lowest first ({LAYERS_FILE}); -> lists each target's "
           f"project dependencies, declared or imported.", ""]
    production = 0
    for layer in project.layers.layers:
        if layer.tests:
            out.append(f"tests: {layer.comment}")
        else:
            out.append(f"layer {production}: {layer.comment}")
            production += 1
        out.extend(row(name) for name in layer.names)
    tests = sorted((t for t in project.targets.values()
                    if t.role == "test" and t.name not in project.layers.line),
                   key=lambda t: (project.rank(t.name) is None, project.rank(t.name) or 0, t.name))
    if tests:
        places = {t.name: (project.describe_rank(t.name) if project.rank(t.name) is not None
                           else "unplaced") for t in tests}
        place_width = max(len(p) for p in places.values())
        out.append("test targets, each just above the target it tests:")
        out.extend(row(t.name, f"{places[t.name]:<{place_width}} ") for t in tests)
    missing = sorted(n for n, t in project.targets.items()
                     if t.role != "test" and n not in project.layers.line)
    if missing:
        out.append(f"not in {LAYERS_FILE}:")
        out.extend(row(n) for n in missing)
    return "\n".join(out)


# --------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Check ruralstat's layering, imports and file/function sizes.")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent,
                        help="the repository root (default: this script's parent's parent)")
    parser.add_argument("--quiet", action="store_true",
                        help="print violations only: no notes, and the summary only on failure")
    parser.add_argument("--list", action="store_true",
                        help="print the target graph by layer, and check nothing")
    args = parser.parse_args(argv)
    try:
        if not args.root.is_dir():
            raise UsageError(f"{args.root}: not a folder")
        project = load_project(args.root)
    except UsageError as error:
        print(f"check-structure: {error}", file=sys.stderr)
        return 2
    if args.list:
        print(render_graph(project))
        return 0
    findings = run_checks(project)
    failed = any(not f.note for f in findings)
    for f in findings:
        if not (args.quiet and f.note):
            print(f.render())
    if failed or not args.quiet:
        print(summary(findings, project, count_notes=not args.quiet))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
