/// A fixed set of names (option or module names), for membership tests on every option of a
/// config.
///
/// A `Set<String>` of the same names costs a SipHash of every name to build, which for the
/// thousand known option names is more than checking a typical config takes. This table is
/// built from array literals (which the compiler lays out statically) with the byte hash the
/// log reader uses: one pass over the names, and a lookup compares bytes, not Characters.
/// Names are compared byte for byte, which equals `String ==` for ASCII names; `init`
/// requires every name to be ASCII (a test checks the knowledge lists).
struct NameTable: Sendable {
    /// The names in insertion order, each once.
    let names: [String]
    /// Index into `names` + 1; 0 is an empty slot. Power-of-two size, at most half full.
    private let slots: [Int32]
    private let hashes: [UInt64]

    init<Lists: Sequence>(_ lists: Lists) where Lists.Element == [String] {
        var names: [String] = []
        var total = 0
        for list in lists { total += list.count }
        var size = 16
        while size < total * 2 { size <<= 1 }
        var slots = [Int32](repeating: 0, count: size)
        var hashes = [UInt64](repeating: 0, count: size)
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
                    if hashes[slot] == hash && names[Int(slots[slot]) - 1] == name { present = true; break }
                    slot = (slot + 1) & (size - 1)
                }
                if present { continue }
                names.append(name)
                slots[slot] = Int32(names.count)
                hashes[slot] = hash
            }
        }
        self.names = names
        self.slots = slots
        self.hashes = hashes
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
        let hash = Self.hash(bytes)
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return false }
            if hashes[slot] == hash {
                var candidate = names[Int(entry) - 1]
                let equal = candidate.withUTF8 { stored in
                    stored.count == bytes.count && (bytes.isEmpty || memcmp(stored.baseAddress!, bytes.baseAddress!, bytes.count) == 0)
                }
                if equal { return true }
            }
            slot = (slot + 1) & mask
        }
    }

    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return 0x9E37_79B9_7F4A_7C15 }
        return hashBytes(UnsafeRawPointer(base), bytes.count)
    }
}

#if canImport(Glibc)
import Glibc
#endif
