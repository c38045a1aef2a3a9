import Foundation

/// A hash of a byte string, fast enough to run on every event of a big log (8 bytes per step).
@inline(__always) func hashBytes(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
    var g: UInt64 = 0x6A09_E667_F3BC_C909
    var i = 0
    // Two independent lanes: the multiplications of one overlap with the other's.
    while i + 16 <= n {
        h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
        g = (g ^ p.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)) &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        g ^= g >> 31
        i += 16
    }
    if i + 8 <= n {
        h = (h ^ p.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 29
        i += 8
    }
    h ^= g &* 0xD6E8_FEB8_6659_FD93
    if i < n, n >= 8 {
        // The last 8 bytes, overlapping what was hashed: one load instead of a byte loop.
        h = (h ^ p.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)) &* 0x94D0_49BB_1331_11EB
    } else if i < n {
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            tail |= UInt64(p.load(fromByteOffset: i, as: UInt8.self)) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* 0x94D0_49BB_1331_11EB
    }
    h ^= h >> 32
    h = h &* 0xD6E8_FEB8_6659_FD93
    return h ^ (h >> 32)
}

/// Byte strings numbered 0, 1, 2… in insertion order, found by open addressing on their hash. The
/// keys live in one arena: looking a key up allocates nothing.
final class ByteKeyTable {
    private var slots: UnsafeMutablePointer<Int32>   // key index + 1; 0 = empty
    private var slotHashes: UnsafeMutablePointer<UInt64>
    private var mask: Int
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity: Int
    private var arenaUsed = 0
    private var starts: [Int] = []
    private var lengths: [Int] = []
    private var hashes: [UInt64] = []

    var count: Int { starts.count }

    init(capacity: Int = 1024) {
        var c = 16
        while c < capacity * 2 { c <<= 1 }
        mask = c - 1
        slots = .allocate(capacity: c)
        slots.initialize(repeating: 0, count: c)
        slotHashes = .allocate(capacity: c)
        slotHashes.initialize(repeating: 0, count: c)
        arenaCapacity = max(256, capacity * 64)
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        slots.deallocate()
        slotHashes.deallocate()
        arena.deallocate()
    }

    /// The bytes of key `index`.
    func key(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: arena + starts[index], count: lengths[index])
    }

    func hash(_ index: Int) -> UInt64 { hashes[index] }

    /// The index of the key, or nil.
    @inline(__always) func find(_ p: UnsafeRawPointer, _ n: Int, hash h: UInt64) -> Int? {
        var s = Int(truncatingIfNeeded: h) & mask
        while true {
            let v = Int(slots[s])
            if v == 0 { return nil }
            // Keys are told apart by their 64-bit hash and length (the bytes are not compared: a collision
            // among the few thousand keys of a summary has a probability below 1e-12).
            if slotHashes[s] == h, lengths[v - 1] == n { return v - 1 }
            s = (s + 1) & mask
        }
    }

    /// Adds a key that `find` did not find; returns its index.
    func insert(_ p: UnsafeRawPointer, _ n: Int, hash h: UInt64) -> Int {
        if (count + 1) * 2 > mask + 1 { grow() }
        if arenaUsed + n > arenaCapacity {
            var c = arenaCapacity * 2
            while arenaUsed + n > c { c *= 2 }
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
            bigger.update(from: arena, count: arenaUsed)
            arena.deallocate()
            arena = bigger
            arenaCapacity = c
        }
        if n > 0 { (arena + arenaUsed).update(from: p.assumingMemoryBound(to: UInt8.self), count: n) }
        let index = count
        starts.append(arenaUsed)
        lengths.append(n)
        hashes.append(h)
        arenaUsed += n
        place(index, hash: h)
        return index
    }

    private func place(_ index: Int, hash h: UInt64) {
        var s = Int(truncatingIfNeeded: h) & mask
        while slots[s] != 0 { s = (s + 1) & mask }
        slots[s] = Int32(index + 1)
        slotHashes[s] = h
    }

    private func grow() {
        let c = (mask + 1) * 2
        slots.deallocate()
        slotHashes.deallocate()
        mask = c - 1
        slots = .allocate(capacity: c)
        slots.initialize(repeating: 0, count: c)
        slotHashes = .allocate(capacity: c)
        slotHashes.initialize(repeating: 0, count: c)
        for i in 0..<count { place(i, hash: hashes[i]) }
    }
}

/// A direct-mapped memo from byte strings (told apart by 64-bit hash and length) to a number: the
/// per-event summary asks it first and does the real work (masking a template, folding a session
/// source) only for strings it has not met recently.
final class HashMemo {
    private let hashes: UnsafeMutablePointer<UInt64>
    private let lengths: UnsafeMutablePointer<Int32>
    private let values: UnsafeMutablePointer<Int32>
    private let mask: Int

    init(bits: Int) {
        let n = 1 << bits
        mask = n - 1
        hashes = .allocate(capacity: n)
        hashes.initialize(repeating: 0, count: n)
        lengths = .allocate(capacity: n)
        lengths.initialize(repeating: -1, count: n)
        values = .allocate(capacity: n)
        values.initialize(repeating: 0, count: n)
    }

    deinit {
        hashes.deallocate()
        lengths.deallocate()
        values.deallocate()
    }

    @inline(__always) func get(hash: UInt64, length: Int) -> Int32? {
        let s = Int(truncatingIfNeeded: hash >> 17) & mask
        return hashes[s] == hash && lengths[s] == Int32(truncatingIfNeeded: length) ? values[s] : nil
    }

    @inline(__always) func set(hash: UInt64, length: Int, value: Int32) {
        let s = Int(truncatingIfNeeded: hash >> 17) & mask
        hashes[s] = hash
        lengths[s] = Int32(truncatingIfNeeded: length)
        values[s] = value
    }
}
