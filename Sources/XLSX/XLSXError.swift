// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Why a workbook could not be read or written. The message is for the person who sent
/// or asked for the file; `detail` carries what a maintainer needs.
public struct XLSXError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What kind of problem this is, so callers can choose their wording or exit code.
    public enum Kind: String, Sendable, Equatable {
        case notAZip, encrypted, truncated, missingPart, malformed, limitExceeded, io, writer
        /// A package whose workbook yields no worksheet at all (not one of the form's sheets missing).
        case noWorksheet
    }

    public var kind: Kind
    /// One sentence, in English, naming what is wrong and what to do.
    public var message: String
    public var detail: String?

    public init(_ kind: Kind, _ message: String, detail: String? = nil) {
        self.kind = kind
        self.message = message
        self.detail = detail
    }

    /// Names the part a scanner error happened in (the scanner writes `{part}`).
    func inPart(_ part: String) -> XLSXError {
        var e = self
        e.message = message.replacingOccurrences(of: "{part}", with: part)
        return e
    }

    public var description: String {
        detail.map { "\(message) (\($0))" } ?? message
    }
}
