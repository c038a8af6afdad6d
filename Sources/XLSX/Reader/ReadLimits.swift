// SPDX-License-Identifier: Apache-2.0
/// Caps that keep a hostile or broken file from exhausting the daemon. Each breach is a
/// refusal with a plain message, never a crash.
public struct ReadLimits: Sendable, Equatable {
    /// Largest file accepted, in bytes.
    public var maxFileBytes: Int = 64 << 20
    /// Most entries a package may hold.
    public var maxEntries: Int = 10_000
    /// Largest uncompressed size of one entry, counted while inflating.
    public var maxEntryBytes: Int = 512 << 20
    /// Largest uncompressed size of all entries read, counted while inflating.
    public var maxTotalBytes: Int = 1 << 30
    /// Largest ratio of inflated to compressed bytes, applied once an entry passes `ratioFloorBytes`.
    public var maxCompressionRatio: Int = 200
    /// Entries smaller than this are never refused for their ratio (tiny XML compresses well).
    public var ratioFloorBytes: Int = 4 << 20
    /// Deepest element nesting accepted in any XML part.
    public var maxDepth: Int = 64
    /// Longest string accepted in a cell: Excel's own limit.
    public var maxStringLength: Int = 32_767
    /// Most non-empty cells accepted in one workbook. A quarterly form holds a few thousand;
    /// the daemon keeps a form's cells in memory, so this also bounds its memory per file.
    public var maxCells: Int = 500_000

    public init() {}
}
