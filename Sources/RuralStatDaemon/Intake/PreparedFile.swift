// SPDX-License-Identifier: Apache-2.0
public import Foundation
import CellModel
import RuralStatCore

/// A claimed file read, hashed and checked: the part of the work that runs in parallel. Only
/// `SubmissionPipeline.commit` writes, one file at a time.
public struct PreparedFile: Sendable {
    public var file: ClaimedFile
    /// How long hashing, reading and checking took (the log gives each file's own duration).
    public var readSeconds: Double = 0
    public var sha256: String
    public var receivedAt: Date
    /// The verdict of the schema and the sheets as read; nil when the bytes were already
    /// accepted at the time of reading (the commit checks that again, and validates if needed).
    var checked: (result: ValidationResult, sheets: [SheetCells])?
    /// Why the file is not judged yet: it changed while being read, or it looks cut short and
    /// was written to a moment ago. It goes back to the inbox to finish arriving.
    var stillArriving: String?
    /// When to look at a file still arriving again, if it has not changed by then.
    var lookAgainAt: Date?
    /// Size and modification time when it was hashed.
    var hashedSize: Int64 = 0
    var hashedModified: Double = 0
}
