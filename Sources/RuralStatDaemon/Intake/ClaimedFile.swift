// SPDX-License-Identifier: Apache-2.0
import Foundation
public import RuralStatCore

/// A file taken from the inbox into `work/`, with what is known of where it came from.
public struct ClaimedFile: Sendable, Hashable {
    public var workPath: String
    /// The name the unit gave the file.
    public var originalName: String
    /// The unit whose inbox folder it was dropped in, when units have folders.
    public var unitFolder: String?
    /// Found in `work/` at start, or tried again after a failure: an earlier attempt may have
    /// stored it and stopped before moving it.
    public var resumed: Bool
    /// Size and modification time when it was claimed: a file that changes after that is still
    /// being written, and is not judged.
    public var claimedSize: Int64?
    public var claimedModified: Double?
    /// What the intake has to say of the file besides its checks (an editor's stale owner file
    /// beside it): added to its answer as warnings.
    public var notes: [Finding] = []

    public init(workPath: String, originalName: String, unitFolder: String?, resumed: Bool = false,
                claimedSize: Int64? = nil, claimedModified: Double? = nil) {
        self.workPath = workPath
        self.originalName = originalName
        self.unitFolder = unitFolder
        self.resumed = resumed
        self.claimedSize = claimedSize
        self.claimedModified = claimedModified
    }
}
