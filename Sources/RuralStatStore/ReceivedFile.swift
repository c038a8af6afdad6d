// SPDX-License-Identifier: Apache-2.0
public import Foundation

/// The file a submission came in: its hash, name and where it was kept.
public struct ReceivedFile: Sendable, Hashable {
    public var sha256: String
    public var fileName: String
    public var receivedAt: Date
    /// Where the original now lives (`archive/…` or `rejected/…`).
    public var storedPath: String

    public init(sha256: String, fileName: String, receivedAt: Date, storedPath: String) {
        self.sha256 = sha256
        self.fileName = fileName
        self.receivedAt = receivedAt
        self.storedPath = storedPath
    }
}
