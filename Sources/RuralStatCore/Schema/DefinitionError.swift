// SPDX-License-Identifier: Apache-2.0
/// Why a schema or another definition file was refused at load time.
public struct DefinitionError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var message: String
    public var line: Int?
    public var column: Int?

    public init(file: String, message: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.message = message
        self.line = line
        self.column = column
    }

    public var description: String {
        guard let line else { return "\(file): \(message)" }
        return column.map { "\(file):\(line):\($0): \(message)" } ?? "\(file):\(line): \(message)"
    }
}
