// SPDX-License-Identifier: Apache-2.0
public import Foundation
public import RuralStatCore

/// A row of the submissions table as callers see it.
public struct StoredSubmission: Sendable, Hashable {
    public var id: Int64
    public var unitCode: String?
    public var period: Period?
    public var status: SubmissionStatus
    public var sha256: String
    public var fileName: String
    public var receivedAt: Date
    public var storedPath: String
    public var errorCount: Int
    public var warningCount: Int
    public var reason: String?
}
