// SPDX-License-Identifier: Apache-2.0
import CLinux
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A POSIX access control list as Linux keeps it in a file's extended attributes
/// (`system.posix_acl_access`, and `system.posix_acl_default` on a folder for what is made in
/// it): read and written directly, without libacl. Used to give one unit's account its own
/// folders and nobody else's.
public struct PosixACL: Equatable, Sendable {
    public enum Tag: UInt16, Sendable, Comparable {
        case owner = 0x01, user = 0x02, owningGroup = 0x04, group = 0x08, mask = 0x10, other = 0x20

        public static func < (a: Tag, b: Tag) -> Bool { a.rawValue < b.rawValue }
    }

    public struct Entry: Equatable, Sendable {
        public var tag: Tag
        /// rwx as 4, 2, 1.
        public var permissions: UInt16
        /// The user or group id of a named entry.
        public var id: UInt32?

        public init(_ tag: Tag, _ permissions: UInt16, id: UInt32? = nil) {
            self.tag = tag
            self.permissions = permissions
            self.id = id
        }
    }

    public var entries: [Entry]

    public init(_ entries: [Entry]) {
        // The kernel takes entries ordered by tag, then by id.
        self.entries = entries.sorted { ($0.tag, $0.id ?? 0) < ($1.tag, $1.id ?? 0) }
    }

    /// A folder's list: the owner's, each named user's, the owning group's and others'
    /// permissions; the mask lets every named user have what it is given.
    public static func folder(owner: UInt16, users: [(uid: UInt32, permissions: UInt16)], group: UInt16, other: UInt16) -> PosixACL {
        var entries = [Entry(.owner, owner), Entry(.owningGroup, group), Entry(.other, other)]
        entries += users.map { Entry(.user, $0.permissions, id: $0.uid) }
        if !users.isEmpty { entries.append(Entry(.mask, users.reduce(group) { $0 | $1.permissions })) }
        return PosixACL(entries)
    }

    /// The permissions a named user is given, nil when it has no entry.
    public func permissions(ofUser uid: UInt32) -> UInt16? {
        entries.first { $0.tag == .user && $0.id == uid }?.permissions
    }

    /// The permissions of the entry `tag` (owner, owning group, mask, other).
    public func permissions(_ tag: Tag) -> UInt16? { entries.first { $0.tag == tag }?.permissions }

    static let version: UInt32 = 2
    static let undefinedID: UInt32 = 0xFFFF_FFFF

    var encoded: [UInt8] {
        var bytes: [UInt8] = []
        func put32(_ v: UInt32) { bytes += withUnsafeBytes(of: v.littleEndian, Array.init) }
        func put16(_ v: UInt16) { bytes += withUnsafeBytes(of: v.littleEndian, Array.init) }
        put32(Self.version)
        for e in entries {
            put16(e.tag.rawValue)
            put16(e.permissions)
            put32(e.id ?? Self.undefinedID)
        }
        return bytes
    }

    init?(encoded bytes: [UInt8]) {
        guard bytes.count >= 4, (bytes.count - 4) % 8 == 0 else { return nil }
        func get32(_ at: Int) -> UInt32 { bytes[at..<at + 4].reversed().reduce(0) { $0 << 8 | UInt32($1) } }
        func get16(_ at: Int) -> UInt16 { UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8 }
        guard get32(0) == Self.version else { return nil }
        var entries: [Entry] = []
        for at in stride(from: 4, to: bytes.count, by: 8) {
            guard let tag = Tag(rawValue: get16(at)) else { return nil }
            let id = get32(at + 4)
            entries.append(Entry(tag, get16(at + 2), id: tag == .user || tag == .group ? id : nil))
        }
        self.entries = entries
    }

    private static func name(default isDefault: Bool) -> String {
        isDefault ? "system.posix_acl_default" : "system.posix_acl_access"
    }

    /// The list `path` has (its default list when `isDefault`); nil when it has none beyond its
    /// mode, or the file system keeps none.
    public static func read(_ path: String, default isDefault: Bool = false) -> PosixACL? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = getxattr(path, name(default: isDefault), &buffer, buffer.count)
        guard n > 0 else { return nil }
        return PosixACL(encoded: Array(buffer.prefix(n)))
    }

    /// Gives `path` this list (as its default list when `isDefault`). Throws EOPNOTSUPP where
    /// the file system keeps no ACLs.
    public func write(to path: String, default isDefault: Bool = false) throws {
        let bytes = encoded
        guard setxattr(path, Self.name(default: isDefault), bytes, bytes.count, 0) == 0 else {
            throw FileError(operation: "setxattr", path: path, code: errno)
        }
    }
}
