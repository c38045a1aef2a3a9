import Foundation

/// A hash of a byte string, fast enough to run on every event of a big log: 16 bytes per 128-bit
/// multiply (the wyhash construction). Keys are told apart by this hash and their length.
@inline(__always) func hashBytes(_ p: UnsafeRawPointer, _ n: Int) -> UInt64 {
    @inline(__always) func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let r = a.multipliedFullWidth(by: b)
        return r.high ^ r.low
    }
    @inline(__always) func load64(_ i: Int) -> UInt64 { p.loadUnaligned(fromByteOffset: i, as: UInt64.self) }
    @inline(__always) func load32(_ i: Int) -> UInt64 { UInt64(p.loadUnaligned(fromByteOffset: i, as: UInt32.self)) }
    let k0: UInt64 = 0xA076_1D64_78BD_642F, k1: UInt64 = 0xE703_7ED1_A0B4_28DB, k2: UInt64 = 0x8EBC_6AF0_9C88_C6E3
    var seed = k0 ^ UInt64(truncatingIfNeeded: n)
    var a: UInt64 = 0, b: UInt64 = 0
    if n <= 16 {
        if n >= 8 {
            a = load64(0); b = load64(n - 8)
        } else if n >= 4 {
            a = load32(0); b = load32(n - 4)
        } else if n > 0 {
            let q = p.assumingMemoryBound(to: UInt8.self)
            a = UInt64(q[0]) << 16 | UInt64(q[n >> 1]) << 8 | UInt64(q[n - 1])
        }
    } else {
        var i = 0
        while n - i > 16 {
            seed = mix(load64(i) ^ k1, load64(i + 8) ^ seed)
            i += 16
        }
        // The last 16 bytes (overlapping what was mixed: fixed by n, so the hash stays a function of the bytes).
        a = load64(n - 16); b = load64(n - 8)
    }
    return mix(k1 ^ UInt64(truncatingIfNeeded: n), mix(a ^ k1, b ^ seed) ^ k2)
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
