// SPDX-License-Identifier: Apache-2.0
import Yams

/// Where something sits in a YAML definition file, to point at a mistake in it: the rule of a
/// schema, a figure named in a report definition.
struct YAMLLocation {
    var tree: Node?
    var path: [any NodeRepresentable]
    var file: String

    func error(key: String, offset: Int?, _ message: String) -> DefinitionError {
        var node = tree
        for step in path { node = node?[step] }
        guard let value = key.isEmpty ? node : node?[key], let mark = value.mark else { return DefinitionError(file: file, message: message) }
        let quoted = value.scalar.map { $0.style == .singleQuoted || $0.style == .doubleQuoted } ?? false
        return DefinitionError(file: file, message: message, line: mark.line,
                               column: offset.map { mark.column + $0 + (quoted ? 1 : 0) } ?? mark.column)
    }
}
