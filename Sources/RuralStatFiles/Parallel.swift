// SPDX-License-Identifier: Apache-2.0
import Foundation

/// Runs `body` for every index in `0..<count`, at most `width` at a time, and returns each
/// result (or error) in index order. The daemon reads a batch of files this way, and the
/// publisher writes a period's workbooks.
public func parallelMap<T: Sendable>(_ count: Int, width: Int, _ body: @Sendable (Int) throws -> T) -> [Result<T, any Error>] {
    let slots = ResultSlots<T>(count: count)
    let workers = max(1, min(width, count))
    DispatchQueue.concurrentPerform(iterations: workers) { worker in
        for i in stride(from: worker, to: count, by: workers) {
            slots.set(i, Result { try body(i) })
        }
    }
    return slots.filled()
}

/// One slot per index, written from several threads under a lock.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [Result<T, any Error>?]

    init(count: Int) { items = Array(repeating: nil, count: count) }

    func set(_ i: Int, _ r: Result<T, any Error>) {
        lock.lock()
        items[i] = r
        lock.unlock()
    }

    /// Every slot; called once `concurrentPerform` has returned, when the strided loops have
    /// set each index exactly once.
    func filled() -> [Result<T, any Error>] {
        lock.lock()
        defer { lock.unlock() }
        return items.map { $0! }
    }
}
