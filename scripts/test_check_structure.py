#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Self-test for scripts/check-structure.py.

Each test builds a small fake package in a temporary folder (Package.swift,
Sources/LAYERS, a few Swift files), plants one violation in an otherwise
clean tree, and checks that the right rule fires, where and how, and that
nothing else does.

    python3 scripts/test_check_structure.py [-v]
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path
from unittest import mock

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "check-structure.py"

# The script's name has a dash, so load it by path. (A dataclass module must
# be in sys.modules before it runs.) Leave no __pycache__ in scripts/.
sys.dont_write_bytecode = True
_spec = importlib.util.spec_from_file_location("check_structure", SCRIPT)
cs = importlib.util.module_from_spec(_spec)
sys.modules["check_structure"] = cs
_spec.loader.exec_module(cs)


LAYERS = """\
# the fake project's layers
CZip CellModel                      # C library and cells
XLSX RuralStatCore                  # workbooks; the domain
RuralStatStore RuralStatRender      # store; rendering
RuralStatDaemon                     # the service
ruralstat RuralStatBench            # executables
tests: RuralStatTesting             # shared test set-up
"""

GRDB = '.product(name: "GRDB", package: "GRDB.swift")'

# name -> (the Package.swift call, its dependencies); a clean tree.
BASE_TARGETS: dict[str, tuple[str, list[str] | None]] = {
    "CZip": ("systemLibrary", None),
    "CellModel": ("target", []),
    "XLSX": ("target", ["CellModel", "CZip"]),
    "RuralStatCore": ("target", ["CellModel"]),
    "RuralStatStore": ("target", ["RuralStatCore", GRDB]),
    "RuralStatRender": ("target", ["RuralStatCore", "XLSX"]),
    "RuralStatDaemon": ("target", ["RuralStatStore", "RuralStatRender"]),
    "ruralstat": ("executableTarget", ["RuralStatDaemon"]),
    "RuralStatBench": ("executableTarget", ["RuralStatCore"]),
    "RuralStatTesting": ("target", ["RuralStatCore"]),
    "CellModelTests": ("testTarget", ["CellModel"]),
    "XLSXTests": ("testTarget", ["XLSX"]),
    "RuralStatCoreTests": ("testTarget", ["RuralStatCore"]),
    "RuralStatStoreTests": ("testTarget", ["RuralStatStore", "RuralStatTesting"]),
    "RuralStatRenderTests": ("testTarget", ["RuralStatRender"]),
    "RuralStatDaemonTests": ("testTarget", ["RuralStatDaemon"]),
    "EndToEndTests": ("testTarget", ["XLSX"]),
}

MODULE_OF = {GRDB: "GRDB"}


def swift_list(deps: list[str]) -> str:
    """A Swift array literal, one item a line (so lists span lines)."""
    items = [d if d.startswith(".") else f'"{d}"' for d in deps]
    return "[\n            " + ",\n            ".join(items) + ",\n        ]" if items else "[]"


class FakeTree:
    """A fake ruralstat package in a temporary folder."""

    def __init__(self, root: Path):
        self.root = root
        self.targets = {name: (call, None if deps is None else list(deps))
                        for name, (call, deps) in BASE_TARGETS.items()}
        self.write("Sources/LAYERS", LAYERS)
        self.write("Sources/CZip/module.modulemap",
                   'module CZip [system] {\n    header "shim.h"\n    link "zip"\n    export *\n}\n')
        self.write("Sources/CZip/shim.h", "#include <zip.h>\n")
        self.write("Tests/Fixtures/reader/sample.txt", "not Swift: not a target\n")
        self.write("Tests/EndToEndTests/Support/helper.py", "print('not Swift')\n")
        for name, (call, deps) in self.targets.items():
            if call == "systemLibrary":
                continue
            folder = self.folder(name)
            lines = ["import Foundation"]
            if call == "testTarget":
                lines.append("import Testing")
            lines += [f"import {MODULE_OF.get(d, d)}" for d in deps]
            if call == "executableTarget":
                self.write(f"{folder}/main.swift", "\n".join(lines) + '\nprint("hi")\n')
            else:
                self.write(f"{folder}/{name}.swift",
                           "\n".join(lines) + f"\n\npublic enum {name}Marker {{}}\n")
        self.write_package()

    def folder(self, name: str) -> str:
        call = self.targets[name][0]
        return f"Tests/{name}" if call == "testTarget" or name == "RuralStatTesting" else f"Sources/{name}"

    def write(self, rel: str, text: str) -> None:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def write_package(self) -> None:
        rows = []
        for name, (call, deps) in self.targets.items():
            args = [f'name: "{name}"']
            if deps is not None:
                args.append(f"dependencies: {swift_list(deps)}")
            if name == "RuralStatTesting":
                args.append('path: "Tests/RuralStatTesting"')
            if name == "EndToEndTests":
                args.append('exclude: ["Support"]')
            if call == "systemLibrary":
                args.append('pkgConfig: "libzip"')
            rows.append(f"        .{call}({', '.join(args)}),")
        self.write("Package.swift", "\n".join([
            "// swift-tools-version: 6.1",
            "import PackageDescription",
            "",
            "let package = Package(",
            '    name: "fake",',
            '    products: [.executable(name: "ruralstat", targets: ["ruralstat"])],',
            '    dependencies: [.package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0")],',
            "    targets: [",
            '        // .target(name: "Ghost", dependencies: ["RuralStatDaemon"]),  a comment, not a target',
            *rows,
            "    ]",
            ")",
            "",
        ]))

    def depend(self, name: str, *deps: str) -> None:
        """Declare more dependencies for a target (and rewrite Package.swift)."""
        self.targets[name][1].extend(deps)
        self.write_package()

    def add_target(self, name: str, call: str, deps: list[str], files: dict[str, str]) -> None:
        self.targets[name] = (call, list(deps))
        for file, text in files.items():
            self.write(f"{self.folder(name)}/{file}", text)
        self.write_package()

    def findings(self):
        return cs.run_checks(cs.load_project(self.root))

    def violations(self, rule: str | None = None):
        return [f for f in self.findings() if not f.note and (rule is None or f.rule == rule)]


def function_lines(length: int, name: str = "tricky") -> list[str]:
    """A Swift function exactly `length` lines long, keyword to closing brace,
    whose body is full of braces that are not code: in strings, in
    interpolations (`\\(x.map { $0 })`), in raw and multi-line strings, in
    comments."""
    body = [
        r'    let s = "}} \(x.map { $0 }) {"',
        r'    let q = "a \(x.map { "\($0)}" }.joined()) b {"',
        r'    let t = "\"}" + "\\" + "{"',
        r'    let raw = #"a " } \(not interpolated) "# + #"\#(x.count) } "#',
        r'    let text = """',
        r'        } { "quoted" \(x.map { "\($0)}" }) "" \"""',
        r'        """',
        r'    // } a closing brace in a comment',
        r'    /* { a block comment /* nested } */ still comment { */',
        r'    let counts = x.map { value in value + 1 }',
    ]
    if length < len(body) + 3:
        raise ValueError(f"a tricky function has at least {len(body) + 3} lines")
    filler = [f"    _ = {i}" for i in range(length - 3 - len(body))]
    return [f"func {name}(x: [Int]) -> Int {{"] + body + filler + ["    return s.count", "}"]


class CheckStructureTests(unittest.TestCase):

    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.tree = FakeTree(Path(self._tmp.name))

    def tearDown(self):
        self._tmp.cleanup()

    def assertOnly(self, rule: str, count: int = 1):
        """Exactly `count` violations, all of rule `rule`; returns them."""
        found = self.tree.violations()
        self.assertEqual([f.rule for f in found], [rule] * count,
                         "\n".join(f.render() for f in found))
        return found

    # ---- the clean tree

    def test_clean_tree_passes(self):
        self.assertEqual(self.tree.violations(), [])
        project = cs.load_project(self.tree.root)
        self.assertNotIn("Ghost", project.targets)          # commented out
        self.assertEqual(project.targets["RuralStatStore"].external_modules, {"GRDB"})
        self.assertEqual(project.targets["RuralStatTesting"].role, "support")
        self.assertNotIn("Fixtures", project.targets)        # no Swift files

    # ---- A: declared

    def test_undeclared_import(self):
        self.tree.write("Sources/RuralStatRender/Extra.swift", "import Foundation\nimport GRDB\n")
        [v] = self.assertOnly("A")
        self.assertEqual(v.render(), "Sources/RuralStatRender/Extra.swift:2: imports GRDB, "
                                     "which target RuralStatRender does not declare in Package.swift")

    def test_every_import_form_is_recognised(self):
        forms = [
            "import M1",
            "public import M2",
            "internal import M3",
            "package import M4",
            "@testable import M5",
            "@preconcurrency import M6",
            "@_implementationOnly import M7",
            "import struct M8.Thing",
            "#if canImport(M9)",
            "    import M9",
            "#endif",
            "@preconcurrency public import M10",
            "import Glibc; import M11",
        ]
        self.tree.write("Sources/RuralStatCore/Forms.swift", "\n".join(forms) + "\n")
        found = self.tree.violations("A")
        self.assertEqual(sorted(int(f.message.split()[1][1:-1]) for f in found), list(range(1, 12)),
                         "\n".join(f.render() for f in found))

    def test_imports_in_comments_and_strings_are_ignored(self):
        self.tree.write("Sources/RuralStatCore/Quiet.swift", "\n".join([
            "import Foundation",
            "// import RuralStatDaemon",
            "/// import Documented",
            "/* import Blocked",
            "   import AlsoBlocked /* nested */ import StillBlocked */",
            'let sample = """',
            "import InAString",
            '  \\(1) import AfterInterpolation',
            '"""',
            'let raw = #"""',
            'import InARawString "still in it" """ not the end',
            '"""#',
            'let short = "import Inline"',
            "",
        ]))
        self.assertEqual(self.tree.violations(), [])

    def test_system_library_must_be_declared(self):
        self.tree.write("Sources/RuralStatCore/Zip.swift", "internal import CZip\n")
        [v] = self.assertOnly("A")
        self.assertIn("imports CZip, which target RuralStatCore does not declare", v.message)

    def test_target_not_in_package_swift(self):
        self.tree.write("Sources/RuralStatNew/New.swift", "import Foundation\n")
        self.tree.write("Tests/RuralStatNewTests/NewTests.swift", "import Testing\n")
        found = self.tree.violations()
        self.assertIn("A", [f.rule for f in found])
        self.assertTrue(any("target RuralStatNew (Sources/RuralStatNew) is not declared" in f.message
                            for f in found))

    def test_unreadable_dependency_list(self):
        text = (self.tree.root / "Package.swift").read_text()
        text = text.replace('.target(name: "CellModel", dependencies: [])',
                            '.target(name: "CellModel", dependencies: shared)')
        self.tree.write("Package.swift", text)
        [v] = self.assertOnly("A")
        self.assertIn("dependencies of CellModel are not a literal list", v.message)

    # ---- B: inward

    def test_upward_import(self):
        self.tree.depend("RuralStatCore", "RuralStatStore")
        self.tree.write("Sources/RuralStatCore/Up.swift", "import Foundation\nimport RuralStatStore\n")
        [v] = self.assertOnly("B")
        self.assertEqual((v.path, v.line), ("Sources/RuralStatCore/Up.swift", 2))
        self.assertIn("an upward dependency", v.message)
        self.assertIn("RuralStatStore", v.message)

    def test_sideways_import(self):
        self.tree.depend("RuralStatStore", "RuralStatRender")
        self.tree.write("Sources/RuralStatStore/Side.swift", "public import RuralStatRender\n")
        [v] = self.assertOnly("B")
        self.assertEqual((v.path, v.line), ("Sources/RuralStatStore/Side.swift", 1))
        self.assertIn("a sideways dependency", v.message)

    def test_declared_but_unimported_upward_dependency_points_at_package_swift(self):
        self.tree.depend("CellModel", "XLSX")
        [v] = self.assertOnly("B")
        self.assertEqual(v.path, "Package.swift")
        self.assertIn("CellModel declares a dependency on XLSX", v.message)

    def test_target_missing_from_layers(self):
        self.tree.add_target("RuralStatExtra", "target", ["RuralStatCore"],
                             {"Extra.swift": "import RuralStatCore\n"})
        self.tree.add_target("RuralStatExtraTests", "testTarget", ["RuralStatExtra"],
                             {"ExtraTests.swift": "import Testing\nimport RuralStatExtra\n"})
        [v] = self.assertOnly("B")
        self.assertIn("target RuralStatExtra is not in Sources/LAYERS: add it to the layer it belongs to",
                      v.message)

    def test_test_target_sits_just_above_its_target(self):
        # Store's tests may use what is below Store...
        self.tree.depend("RuralStatStoreTests", "CellModel")
        self.tree.write("Tests/RuralStatStoreTests/More.swift", "import CellModel\n")
        self.assertEqual(self.tree.violations(), [])
        # ...but not what is above it.
        self.tree.depend("RuralStatStoreTests", "ruralstat")
        self.tree.write("Tests/RuralStatStoreTests/Up.swift", "@testable import ruralstat\n")
        [v] = self.assertOnly("B")
        self.assertIn("an upward dependency", v.message)

    def test_end_to_end_tests_sit_at_the_top(self):
        self.tree.depend("EndToEndTests", "ruralstat", "RuralStatDaemon")
        self.tree.write("Tests/EndToEndTests/Run.swift", "@testable import ruralstat\nimport RuralStatDaemon\n")
        self.assertEqual(self.tree.violations(), [])

    # ---- C: restricted

    def test_bench_importing_the_daemon(self):
        self.tree.depend("RuralStatBench", "RuralStatDaemon")
        self.tree.write("Sources/RuralStatBench/Daemon.swift", "import RuralStatDaemon\n")
        [v] = self.assertOnly("C")     # not B: the bench is above the daemon
        self.assertEqual((v.path, v.line), ("Sources/RuralStatBench/Daemon.swift", 1))
        self.assertIn("imports RuralStatDaemon, which only", v.message)

    def test_test_setup_is_for_tests_only(self):
        self.tree.depend("RuralStatDaemon", "RuralStatTesting")
        self.tree.write("Sources/RuralStatDaemon/Setup.swift", "import RuralStatTesting\n")
        [v] = self.assertOnly("C")
        self.assertIn("which is test set-up: only test targets may import it", v.message)

    def test_the_demo_is_never_imported_by_production_code(self):
        # The demo one layer below the daemon here, so that the daemon importing it is inward
        # (rule B quiet) and only rule C, which keeps the demo out of every library, speaks.
        self.tree.write("Sources/LAYERS", LAYERS.replace("RuralStatDaemon  ", "RuralStatDemo\nRuralStatDaemon"))
        self.tree.add_target("RuralStatDemo", "target", ["RuralStatCore"], {"Demo.swift": "import RuralStatCore\n"})
        self.tree.add_target("RuralStatDemoTests", "testTarget", ["RuralStatDemo"],
                             {"DemoTests.swift": "import RuralStatDemo\n"})
        self.tree.depend("ruralstat", "RuralStatDemo")
        self.tree.write("Sources/ruralstat/Demo.swift", "import RuralStatDemo\n")
        self.tree.depend("RuralStatBench", "RuralStatDemo")
        self.tree.write("Sources/RuralStatBench/Demo.swift", "import RuralStatDemo\n")
        self.assertEqual(self.tree.violations(), [])
        self.tree.depend("RuralStatDaemon", "RuralStatDemo")
        self.tree.write("Sources/RuralStatDaemon/Demo.swift", "import RuralStatDemo\n")
        [v] = self.assertOnly("C")
        self.assertIn("imports RuralStatDemo", v.message)

    # ---- D: file size

    def test_file_of_401_lines_fails(self):
        self.tree.write("Sources/RuralStatCore/Big.swift", "".join(f"// {i}\n" for i in range(401)))
        [v] = self.assertOnly("D")
        self.assertEqual(v.render(), "Sources/RuralStatCore/Big.swift:1: file is 401 lines "
                                     "(at most 400): split it by subject")

    def test_file_of_400_lines_passes(self):
        self.tree.write("Sources/RuralStatCore/Big.swift", "".join(f"// {i}\n" for i in range(400)))
        self.assertEqual(self.tree.violations(), [])

    def test_exempt_file_is_a_note_up_to_700_lines(self):
        path = "Sources/XLSX/Scanner.swift"
        with mock.patch.dict(cs.EXEMPT_FILES, {path: "one tight loop"}, clear=True):
            self.tree.write(path, "// x\n" * 650)
            self.assertEqual(self.tree.violations(), [])
            self.assertTrue(any(f.note and f.path == path for f in self.tree.findings()))
            self.tree.write(path, "// x\n" * 701)
            [v] = self.assertOnly("D")
            self.assertIn("701 lines (at most 700 even when exempt", v.message)

    # ---- E: function size

    def test_function_of_81_lines_with_braces_in_strings_fails(self):
        lines = ["import Foundation", ""] + function_lines(81)
        self.tree.write("Sources/RuralStatCore/Long.swift", "\n".join(lines) + "\n")
        [v] = self.assertOnly("E")
        self.assertEqual(v.render(), "Sources/RuralStatCore/Long.swift:3: func tricky is 81 lines "
                                     "(at most 80): split it into named steps")

    def test_function_of_80_lines_passes(self):
        lines = ["import Foundation", ""] + function_lines(80) + [""] + function_lines(20, "after")
        self.tree.write("Sources/RuralStatCore/Long.swift", "\n".join(lines) + "\n")
        self.assertEqual(self.tree.violations(), [])
        functions = cs.find_functions(cs.mask(
            "\n".join(lines), cs.lex("\n".join(lines))))
        self.assertEqual([(f.name, f.lines) for f in functions], [("tricky", 80), ("after", 20)])

    def test_nested_function_counts_within_its_parent(self):
        inner = ["    " + line for line in function_lines(20, "inner")]
        outer = function_lines(81 - len(inner), "outer")
        lines = outer[:1] + inner + outer[1:]
        self.tree.write("Sources/RuralStatCore/Nested.swift", "\n".join(lines) + "\n")
        [v] = self.assertOnly("E")
        self.assertIn("func outer is 81 lines", v.message)

    def test_init_subscript_and_computed_property(self):
        def body(n):
            return ["        _ = 0"] * n
        text = "\n".join([
            "public final class Box {",
            "    public init(x: Int) {", *body(79), "    }",                      # 81 lines
            "    public subscript(i: Int) -> Int {", *body(78), "    }",          # 80 lines
            "    public var total: Int {", *body(78), "        return 0", "    }",  # 81 lines
            "    deinit {", *body(10), "    }",
            "    var short: Int { 1 }",
            "    var stored: [Int] = [1, 2].map { $0 }",
            "}",
            "protocol Shape {",
            "    func area() -> Double",
            "    var sides: Int { get }",
            "}",
            "",
        ])
        self.tree.write("Sources/RuralStatCore/Box.swift", text)
        found = self.tree.violations()
        self.assertEqual([f.message for f in found],
                         ["init is 81 lines (at most 80): split it into named steps",
                          "var total is 81 lines (at most 80): split it into named steps"],
                         "\n".join(f.render() for f in found))

    def test_property_observer(self):
        text = "\n".join([
            "final class Counter {",
            "    var count: Int = 0 {",
            "        didSet {",                      # line 3: 81 lines to its brace
            *["            _ = 0"] * 79,
            "        }",
            "    }",
            "}",
            "",
        ])
        self.tree.write("Sources/RuralStatCore/Counter.swift", text)
        [v] = self.assertOnly("E")
        self.assertEqual((v.line, v.message.split(" (")[0]), (3, "didSet is 81 lines"))

    def test_stored_property_initialised_by_a_long_closure_is_not_a_function(self):
        text = "\n".join([
            "struct Formats {",
            "    static var table: [String: Int] = {",
            *["        _ = 0"] * 90,
            "        return [:]",
            "    }()",
            "}",
            "",
        ])
        self.tree.write("Sources/RuralStatCore/Formats.swift", text)
        self.assertEqual(self.tree.violations(), [])

    def test_exempt_function_is_a_note(self):
        self.tree.write("Sources/RuralStatCore/Long.swift", "\n".join(function_lines(81)) + "\n")
        with mock.patch.dict(cs.EXEMPT_FUNCTIONS,
                             {"Sources/RuralStatCore/Long.swift::tricky": "measured: faster whole"}):
            self.assertEqual(self.tree.violations(), [])

    def test_functions_under_tests_are_not_measured(self):
        self.tree.write("Tests/RuralStatCoreTests/Long.swift", "\n".join(function_lines(120)) + "\n")
        self.assertEqual(self.tree.violations(), [])

    # ---- F: tests

    def test_missing_test_target(self):
        del self.tree.targets["RuralStatRenderTests"]
        (self.tree.root / "Tests/RuralStatRenderTests/RuralStatRenderTests.swift").unlink()
        self.tree.write_package()
        [v] = self.assertOnly("F")
        self.assertIn("library target RuralStatRender has no test target: add Tests/RuralStatRenderTests",
                      v.message)
        with mock.patch.dict(cs.UNTESTED_TARGETS, {"RuralStatRender": "drawn by hand"}):
            self.assertEqual(self.tree.violations(), [])

    # ---- the command

    def run_script(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(SCRIPT), *args],
                              capture_output=True, text=True, check=False)

    def test_exit_status_and_output(self):
        root = str(self.tree.root)
        clean = self.run_script("--root", root)
        self.assertEqual(clean.returncode, 0, clean.stdout + clean.stderr)
        self.assertIn("check-structure: OK", clean.stdout)
        self.assertEqual(self.run_script("--root", root, "--quiet").stdout, "")

        self.tree.write("Sources/RuralStatRender/Extra.swift", "import GRDB\n")
        failing = self.run_script("--root", root, "--quiet")
        self.assertEqual(failing.returncode, 1)
        self.assertEqual(failing.stdout.splitlines()[-1],
                         "check-structure: 1 violations (A declared: 1, B inward: 0, C restricted: 0, "
                         "D file size: 0, E function size: 0, F tests: 0)")

        self.assertEqual(self.run_script("--root", root + "/nowhere").returncode, 2)
        self.assertEqual(self.run_script("--root", root + "/Sources").returncode, 2)
        self.assertEqual(self.run_script("--bogus").returncode, 2)

    def test_list(self):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            self.assertEqual(cs.main(["--root", str(self.tree.root), "--list"]), 0)
        text = out.getvalue()
        self.assertIn("layer 2: store; rendering", text)
        self.assertRegex(text, r"RuralStatDaemon +library +-> RuralStatRender, RuralStatStore")
        self.assertRegex(text, r"XLSXTests +test +just above XLSX \(layer 1\) +-> XLSX")


if __name__ == "__main__":
    unittest.main()
