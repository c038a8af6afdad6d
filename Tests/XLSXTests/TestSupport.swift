// SPDX-License-Identifier: Apache-2.0
import Foundation
import RuralStatTesting

/// Builds a zip whose entries are given as name → text, with Python's zipfile (deflated).
func makeZip(_ path: String, _ entries: [(String, String)]) throws {
    try makeZip(path, bytes: entries.map { ($0.0, Array($0.1.utf8)) })
}

/// Builds a zip whose entries are given as name → bytes, for parts that are not UTF-8.
func makeZip(_ path: String, bytes entries: [(String, [UInt8])]) throws {
    let json = try JSONSerialization.data(withJSONObject: entries.map { [$0.0, Data($0.1).base64EncodedString()] })
    let listing = path + ".entries.json"
    try json.write(to: URL(fileURLWithPath: listing))
    defer { try? FileManager.default.removeItem(atPath: listing) }
    try Python.run("""
        import base64, json, sys, zipfile
        entries = json.load(open(sys.argv[2], encoding='utf-8'))
        with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
            for name, data in entries:
                z.writestr(name, base64.b64decode(data))
        """, [path, listing])
}

/// The smallest valid package around one worksheet's XML.
func minimalPackage(sheetXML: String, workbookXML: String? = nil, sharedStrings: String? = nil) -> [(String, String)] {
    var entries: [(String, String)] = [
        ("[Content_Types].xml", #"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#),
        ("_rels/.rels", #"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", workbookXML ?? #"<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", #"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#),
        ("xl/worksheets/sheet1.xml", sheetXML),
    ]
    if let sharedStrings { entries.append(("xl/sharedStrings.xml", sharedStrings)) }
    return entries
}
