// SPDX-License-Identifier: Apache-2.0
import Foundation

/// The checkout the tests were built from: the shipped templates, reports and units they read.
public enum Repository {
    /// The folder holding `Package.swift`.
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// A file or folder of the checkout, by its path from the root (`templates/quarterly-v1.yaml`).
    public static func path(_ relative: String) -> String { root + "/" + relative }
}
