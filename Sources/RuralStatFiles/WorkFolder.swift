// SPDX-License-Identifier: Apache-2.0
public import Foundation

/// What the daemon holds in `work/`: files in hand right now, or waiting to be tried again
/// after a failure. `status` lists them, and `period approve` waits for them.
public enum WorkFolder {
    /// The regular files under `work` (its unit folders included), by path relative to it,
    /// with when each last changed, oldest first; the daemon's hidden temporaries left out.
    public static func files(_ work: String) -> [(path: String, since: Date)] {
        guard let walker = FileManager.default.enumerator(atPath: work) else { return [] }
        var out: [(path: String, since: Date)] = []
        while let relative = walker.nextObject() as? String {
            let attributes = walker.fileAttributes
            guard attributes?[.type] as? FileAttributeType == .typeRegular,
                  !(relative as NSString).lastPathComponent.hasPrefix(".") else { continue }
            out.append((relative, attributes?[.modificationDate] as? Date ?? Date(timeIntervalSince1970: 0)))
        }
        return out.sorted { $0.since < $1.since }
    }
}
