// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import RuralStatCore

/// What became of one file.
public struct ProcessOutcome: Sendable {
    public enum Verdict: String, Sendable {
        case accepted, rejected, duplicate, held
        /// Not judged: still being written; put back in the inbox.
        case arriving
    }
    public var verdict: Verdict
    public var unitCode: String?
    public var period: Period?
    public var findings: [Finding]
    /// Where the original now is (`archive/…` or `rejected/…`; the inbox when still arriving).
    public var storedPath: String
    /// The answer written for the unit in `feedback/`; nil while the file is still arriving.
    public var answer: UnitAnswer?
    /// Where the answer's text is (empty while the file is still arriving).
    public var feedbackPath: String { answer?.path ?? "" }
    /// A file still arriving is not taken again before this, unless it changes.
    public var notBefore: Date?
}
