// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting

/// LibreOffice Calc, headless, with a private profile so parallel tests do not collide.
enum Office {
    /// Converts `file` with `soffice --convert-to FORMAT` into `outDir`; returns the new path.
    static func convert(_ file: String, to format: String, outDir: String) throws -> String {
        let profile = "file://" + outDir + "/.lo-profile"
        let r = try Binary.run(["soffice", "-env:UserInstallation=" + profile, "--headless", "--convert-to", format,
                                "--outdir", outDir, file], executable: "/usr/bin/env")
        let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension + "." + (format.split(separator: ":").first.map(String.init) ?? format)
        let out = outDir + "/" + name
        guard r.status == 0, FileManager.default.fileExists(atPath: out) else {
            throw OfficeFailure(message: "soffice could not convert \(file) to \(format): \(r.stdout) \(r.stderr)")
        }
        return out
    }
}

struct OfficeFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
