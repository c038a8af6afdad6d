// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatCore
import RuralStatTesting
import Testing
@testable import RuralStatConfig

/// The share's sections and links: each unit's account reaches its own folders only.
@Suite("The Samba share")
struct SambaShareTests {
    static func config(_ root: String, units: String) throws -> Configuration {
        try Configuration.parse(yaml: """
            province: {name: "Tỉnh Thử", parent_body: "UBND TỈNH THỬ", issuing_body: "SỞ CÔNG THƯƠNG"}
            units:
            \(units)
            paths: {root: \(root)}
            intake: {unit_folders: true}
            """, file: root + "/ruralstat.yaml")
    }

    @Test func eachAccountsPathIsALinkToItsUnitsFolder() throws {
        let root = try temporaryFolder()
        var config = try Self.config(root, units: """
              - {code: "10525", name: "Xã Một"}
              - {code: "10546", name: "Xã Hai", smb_user: "xahai"}
              - {code: "HD-CLI", name: "Huyện cũ", until: 2025-Q2}
            """)
        try SambaShare.makeFolders(config)
        let links = FileManager.default
        #expect(try links.destinationOfSymbolicLink(atPath: config.paths.shares + "/bao-cao/dv10525") == config.paths.inbox + "/10525")
        #expect(try links.destinationOfSymbolicLink(atPath: config.paths.shares + "/phan-hoi/xahai") == config.paths.feedback + "/10546")
        #expect(!links.fileExists(atPath: config.paths.shares + "/bao-cao/dvhd-cli"), "a unit merged away has no folder on the share")
        let sections = SambaShare.sections(config)
        #expect(sections.contains("path = \(config.paths.shares)/bao-cao/%U") && sections.contains("path = \(config.paths.shares)/phan-hoi/%U"))
        #expect(sections.contains("[phan-hoi]") && sections.contains("read only = yes") && sections.contains("force user = ruralstat"))
        // A unit removed from the configuration loses its links; its folders and files stay.
        config.province.units.removeAll { $0.code == "10546" }
        try SambaShare.makeFolders(config)
        #expect((try? links.destinationOfSymbolicLink(atPath: config.paths.shares + "/bao-cao/xahai")) == nil)
        #expect(links.fileExists(atPath: config.paths.inbox + "/10546"))
        #expect(SambaShare.accounts(config).contains("--gid ruralstat-submit dv10525"))
    }

    @Test(arguments: [("DV10525", "must be lower-case"), ("dv 1", "must be lower-case"), ("dvone", "the same smb_user")])
    func anAccountNameSambaOrTheSystemCannotTakeOrTwoUnitsShareIsRefused(account: String, said: String) throws {
        let root = try temporaryFolder()
        #expect {
            try Self.config(root, units: """
                  - {code: "U1", name: "Một", smb_user: "\(account)"}
                  - {code: "U2", name: "Hai", smb_user: "dvone"}
                """)
        } throws: { "\($0)".contains(said) }
    }
}
