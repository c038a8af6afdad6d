// SPDX-License-Identifier: Apache-2.0
import Foundation

extension WorkbookReader {
    /// Finds the workbook part through the package's relationships, loads the shared strings
    /// and styles it points at, and lists its worksheets; refuses a workbook with none.
    func loadPackage() throws {
        var workbookPart = "xl/workbook.xml"
        if let rels = try zip.read("_rels/.rels") {
            for rel in try parseRelationships(rels, part: "_rels/.rels", base: "")
            where rel.type.hasSuffix("/officeDocument") {
                workbookPart = rel.target
            }
        }
        guard let workbookXML = try zip.read(workbookPart) else {
            throw XLSXError(.missingPart, "The file has no workbook inside; it is not a complete .xlsx workbook. Save it again from Excel or LibreOffice.")
        }
        let base = workbookPart.split(separator: "/").dropLast().joined(separator: "/")
        let relsPart = (base.isEmpty ? "" : base + "/") + "_rels/" + (workbookPart.split(separator: "/").last.map(String.init) ?? "") + ".rels"
        let rels = try zip.read(relsPart).map { try parseRelationships($0, part: relsPart, base: base) } ?? []
        var byId: [String: Relationship] = [:]
        for r in rels { byId[r.id] = r }

        for r in rels {
            if r.type.hasSuffix("/sharedStrings") {
                try loadSharedStrings(part: r.target)
            } else if r.type.hasSuffix("/styles"), let data = try zip.read(r.target) {
                try loadStyles(data)
            }
        }
        try withScanner(workbookXML, part: workbookPart) { sc in
            while let ev = try sc.next() {
                // Extensions such as <x15:workbookPr> share local names with SpreadsheetML ones.
                guard case .start(let tag) = ev, tag.namespace.isSpreadsheet else { continue }
                if sc.equals(tag.name, "workbookPr") {
                    let v = sc.attribute("date1904", in: tag)
                    date1904 = v == "1" || v == "true"
                } else if sc.equals(tag.name, "sheet") {
                    guard let name = sc.attribute("name", in: tag), let rid = sc.attribute("id", namespace: .relationships, in: tag),
                          let rel = byId[rid] else { continue }
                    // Only worksheets hold cells; chartsheets and dialog sheets are skipped.
                    guard rel.type.hasSuffix("/worksheet") else { continue }
                    sheets.append(SheetInfo(name: name, part: rel.target, state: sc.attribute("state", in: tag) ?? "visible"))
                }
            }
        }
        // Refused here, once, rather than reported as every sheet of a form missing.
        if sheets.isEmpty {
            throw XLSXError(.noWorksheet, "No worksheet could be read from this file: the workbook lists none. Save it again from Excel or LibreOffice with the form's sheets, and send it again.")
        }
    }

    private struct Relationship { var id: String, type: String, target: String }

    private func parseRelationships(_ data: [UInt8], part: String, base: String) throws -> [Relationship] {
        var out: [Relationship] = []
        try withScanner(data, part: part) { sc in
            while let ev = try sc.next() {
                guard case .start(let tag) = ev, tag.namespace == .package || tag.namespace == .none,
                      sc.equals(tag.name, "Relationship") else { continue }
                guard sc.attribute("TargetMode", in: tag) != "External",
                      let id = sc.attribute("Id", in: tag), let type = sc.attribute("Type", in: tag),
                      let target = sc.attribute("Target", in: tag) else { continue }
                out.append(Relationship(id: id, type: type, target: Self.resolve(target, base: base)))
            }
        }
        return out
    }

    /// Resolves a relationship target against the folder of its source part: absolute
    /// targets start at the package root; `..` steps up; backslashes count as slashes.
    static func resolve(_ target: String, base: String) -> String {
        let t = target.replacingOccurrences(of: "\\", with: "/")
        var parts: [Substring] = t.hasPrefix("/") ? [] : base.split(separator: "/")
        for piece in t.split(separator: "/") {
            if piece == ".." { _ = parts.popLast() } else if piece != "." { parts.append(piece) }
        }
        return parts.joined(separator: "/")
    }

    func withScanner<T>(_ data: [UInt8], part: String, _ body: (inout XMLScanner) throws -> T) throws -> T {
        do {
            return try XMLEncoding.utf8(data).withUnsafeBufferPointer { buf in
                var sc = XMLScanner(buf, maxDepth: limits.maxDepth)
                return try body(&sc)
            }
        } catch let e as XLSXError {
            throw e.inPart(part)
        }
    }
}
