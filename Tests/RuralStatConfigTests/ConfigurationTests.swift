// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatCore
import RuralStatTesting
import Testing
import XLSX
@testable import RuralStatConfig

@Suite("The configuration")
struct ConfigurationTests {
    @Test func configurationResolvesPathsAgainstItsFolderAndRefusesDuplicates() throws {
        let yaml = """
            province: {name: "Tỉnh Thử", parent_body: "UBND TỈNH THỬ", issuing_body: "SỞ CÔNG THƯƠNG"}
            units:
              - {code: U01, name: "Huyện Một"}
            paths: {root: data, inbox: /srv/share/inbox}
            intake: {settle_seconds: 5, unit_folders: true}
            limits: {max_file_mb: 10}
            """
        let c = try Configuration.parse(yaml: yaml, file: "/etc/ruralstat/ruralstat.yaml")
        #expect(c.paths.inbox == "/srv/share/inbox")
        #expect(c.paths.archive == "/etc/ruralstat/data/archive")
        #expect(c.paths.database == "/etc/ruralstat/data/state/ruralstat.sqlite")
        #expect(c.schemaPath == "/etc/ruralstat/templates/quarterly-v1.yaml")
        #expect(c.intake.settleSeconds == 5)
        #expect(c.intake.unitFolders)
        #expect(c.limits.maxFileBytes == 10 << 20)
        #expect(c.province.place == "Tỉnh Thử")
        #expect(throws: ConfigurationError.self) {
            try Configuration.parse(yaml: yaml.replacingOccurrences(of: "  - {code: U01, name: \"Huyện Một\"}",
                                                                     with: "  - {code: U01, name: a}\n  - {code: u01, name: b}"), file: "/x.yaml")
        }
    }

    @Test func theShippedExampleConfigurationLoads() throws {
        let c = try Configuration.load(path: Repository.path("systemd/ruralstat.yaml"))
        #expect(c.paths.inbox == "/srv/ruralstat/inbox")
        #expect(c.paths.database == "/var/lib/ruralstat/ruralstat.sqlite")
        #expect(c.intake.unitFolders)
        #expect(c.province.units.count == 4)
    }
}
