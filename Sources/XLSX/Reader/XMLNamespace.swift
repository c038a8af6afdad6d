// SPDX-License-Identifier: Apache-2.0
/// The namespaces the reader tells apart (Namespaces in XML 1.0): each URI is classified once,
/// where it is declared, so names are matched by a byte compare of their prefix, not of URIs.
enum XMLNamespace: UInt8 {
    /// No namespace: an unprefixed attribute, or an element where no default is declared.
    case none
    /// SpreadsheetML, transitional or Strict.
    case spreadsheet
    /// Office document relationships (`r:id`), transitional or Strict.
    case relationships
    /// Package relationships (`_rels/*.rels`).
    case package
    /// The `xml:` prefix, bound by definition.
    case xml
    /// Any other URI, or a prefix that was never declared.
    case other

    init(uri: String) {
        switch uri {
        case "http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main": self = .spreadsheet
        case "http://schemas.openxmlformats.org/officeDocument/2006/relationships", "http://purl.oclc.org/ooxml/officeDocument/relationships": self = .relationships
        case "http://schemas.openxmlformats.org/package/2006/relationships": self = .package
        case "": self = .none
        default: self = .other
        }
    }

    /// SpreadsheetML, or no namespace at all: parts written by hand or by small tools often
    /// declare none, and were always read; an element in any other namespace is an extension.
    @inline(__always) var isSpreadsheet: Bool { self == .spreadsheet || self == .none }
}
