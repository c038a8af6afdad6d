// SPDX-License-Identifier: Apache-2.0
#if canImport(Glibc)
import Glibc
#endif

/// The namespace declarations in scope, innermost last. Prefixes are copied out of the
/// document (the window slides); the default namespace is cached, as most names use it.
struct NamespaceScope {
    private struct Binding {
        var prefixStart: Int, prefixCount: Int
        var namespace: XMLNamespace
        /// Depth of the element that declared it: the binding ends with that element.
        var depth: Int
    }
    private var bindings: [Binding] = []
    private var prefixBytes: [UInt8] = []
    /// The namespace of unprefixed element names here.
    private(set) var defaultNamespace = XMLNamespace.none
    /// Depth of the innermost declaration, -1 without any: one compare tells when to pop.
    private(set) var deepest = -1

    /// Binds `prefix` (empty for the default namespace) for the element at `depth`.
    mutating func declare(prefix: UnsafeBufferPointer<UInt8>, namespace: XMLNamespace, depth: Int) {
        bindings.append(Binding(prefixStart: prefixBytes.count, prefixCount: prefix.count, namespace: namespace, depth: depth))
        prefixBytes.append(contentsOf: prefix)
        deepest = depth
        if prefix.isEmpty { defaultNamespace = namespace }
    }

    /// Ends the declarations of elements deeper than `depth`.
    mutating func leave(depth: Int) {
        while let last = bindings.last, last.depth > depth {
            bindings.removeLast()
            prefixBytes.removeLast(last.prefixCount)
        }
        deepest = bindings.last?.depth ?? -1
        defaultNamespace = bindings.last(where: { $0.prefixCount == 0 })?.namespace ?? .none
    }

    /// The namespace bound to `prefix`; an undeclared prefix is `.other`.
    func resolve(_ prefix: UnsafeBufferPointer<UInt8>) -> XMLNamespace {
        if prefix.isEmpty { return defaultNamespace }
        if prefix.count == 3 && prefix[0] == 0x78 && prefix[1] == 0x6D && prefix[2] == 0x6C { return .xml }
        for b in bindings.reversed() where b.prefixCount == prefix.count {
            if prefixBytes.withUnsafeBufferPointer({ all in memcmp(all.baseAddress! + b.prefixStart, prefix.baseAddress!, prefix.count) == 0 }) {
                return b.namespace
            }
        }
        return .other
    }
}
