#if canImport(Glibc)
import Glibc
#endif

/// A fixed set of names (option or module names), for membership tests on every option of a
/// config.
///
/// A `Set<String>` of the same names costs a SipHash of every name to build, which for the
/// thousand known option names is more than checking a typical config takes. This table
/// hashes with the byte hash the log reader uses and compares bytes, not Characters; its
/// layout can also be computed ahead of time (`KnownOptionIndex.swift`), so that a check
/// builds nothing at all. Names are compared byte for byte, which equals `String ==` for
/// ASCII names; every name must be ASCII (a test checks the knowledge lists).
struct NameTable: Sendable {
    /// The names in insertion order, each once.
    let names: [String]
    /// Index into `names` + 1; 0 is an empty slot. Power-of-two size, at most half full.
    let slots: [UInt16]

    init<Lists: Sequence>(_ lists: Lists) where Lists.Element == [String] {
        (names, slots) = Self.layout(lists)
    }

    /// A table laid out ahead of time by `layout`.
    init(names: [String], slots: [UInt16]) {
        self.names = names
        self.slots = slots
    }

    /// The names (each once, in order) and the slots of a table of `lists`.
    static func layout<Lists: Sequence>(_ lists: Lists) -> (names: [String], slots: [UInt16]) where Lists.Element == [String] {
        var names: [String] = []
        var total = 0
        for list in lists { total += list.count }
        var size = 16
        while size < total * 2 { size <<= 1 }
        precondition(total < Int(UInt16.max), "NameTable holds fewer than 65535 names")
        var slots = [UInt16](repeating: 0, count: size)
        names.reserveCapacity(total)
        for list in lists {
            for name in list {
                var name = name
                let hash = name.withUTF8 { bytes in
                    precondition(!bytes.contains { $0 >= 0x80 }, "NameTable holds ASCII names")
                    return Self.hash(bytes)
                }
                var slot = Int(truncatingIfNeeded: hash) & (size - 1)
                var present = false
                while slots[slot] != 0 {
                    if names[Int(slots[slot]) - 1] == name { present = true; break }
                    slot = (slot + 1) & (size - 1)
                }
                if present { continue }
                names.append(name)
                slots[slot] = UInt16(names.count)
            }
        }
        return (names, slots)
    }

    func contains(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { contains(bytes: $0) }
    }

    func contains(_ name: Substring) -> Bool {
        var name = name
        return name.withUTF8 { contains(bytes: $0) }
    }

    func contains(bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(bytes)) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return false }
            var candidate = names[Int(entry) - 1]
            let equal = candidate.withUTF8 { stored in
                stored.count == bytes.count && (bytes.isEmpty || memcmp(stored.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
            }
            if equal { return true }
            slot = (slot + 1) & mask
        }
    }

    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0x9E37_79B9_7F4A_7C15 }
        return hashBytes(UnsafeRawPointer(base), bytes.count)
    }
}
