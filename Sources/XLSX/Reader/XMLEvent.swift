// SPDX-License-Identifier: Apache-2.0
/// What the scanner found next.
enum XMLEvent {
    case start(XMLTag)
    case end(name: Range<Int>, namespace: XMLNamespace)
    /// Character data; `raw` is true for CDATA, which carries no entity references.
    case text(Range<Int>, raw: Bool)
}
