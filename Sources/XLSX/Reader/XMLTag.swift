// SPDX-License-Identifier: Apache-2.0
/// A start tag as byte ranges into the document: the local name (prefix removed), its
/// namespace, and the raw attribute text, parsed only when asked.
struct XMLTag {
    var name: Range<Int>
    var attributes: Range<Int>
    var selfClosing: Bool
    var namespace: XMLNamespace = .none
}
