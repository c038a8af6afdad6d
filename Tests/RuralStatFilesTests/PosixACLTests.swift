// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting
import Testing
@testable import RuralStatFiles

/// Access lists written as the kernel keeps them, and read back.
@Suite("POSIX access lists")
struct PosixACLTests {
    @Test func aFoldersListIsWrittenAndReadBackAsTheKernelKeepsIt() throws {
        let dir = try temporaryFolder()
        let acl = PosixACL.folder(owner: 7, users: [(uid: 4242, permissions: 5), (uid: 4141, permissions: 7)], group: 0, other: 0)
        try acl.write(to: dir)
        try acl.write(to: dir, default: true)
        let back = try #require(PosixACL.read(dir))
        #expect(back == acl)
        #expect(back.permissions(ofUser: 4242) == 5 && back.permissions(ofUser: 4141) == 7 && back.permissions(ofUser: 1) == nil)
        #expect(back.permissions(.mask) == 7 && back.permissions(.owningGroup) == 0)
        // The kernel keeps the group's bits of the mode as the mask, and a file made inside
        // takes the default list.
        var st = stat()
        #expect(stat(dir, &st) == 0 && st.st_mode & 0o070 == 0o070 && st.st_mode & 0o007 == 0)
        #expect(FileManager.default.createFile(atPath: dir + "/a", contents: nil, attributes: [.posixPermissions: 0o640]))
        #expect(PosixACL.read(dir + "/a")?.permissions(ofUser: 4242) == 5)
    }

    /// Entries go to the kernel ordered by tag, then by id, whatever order they were given in.
    @Test func entriesAreOrderedAsTheKernelWantsThem() throws {
        let acl = PosixACL([.init(.other, 0), .init(.user, 5, id: 9), .init(.mask, 7), .init(.owner, 7), .init(.user, 7, id: 3), .init(.owningGroup, 0)])
        #expect(acl.entries.map(\.tag) == [.owner, .user, .user, .owningGroup, .mask, .other])
        #expect(acl.entries.compactMap(\.id) == [3, 9])
        #expect(PosixACL.read(try temporaryFolder()) == nil, "a folder with no list beyond its mode reads as none")
    }
}
