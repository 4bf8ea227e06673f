//! De-duplication of incoming messages: the last `window` (route, id) keys seen, found in
//! constant time (a linear-probing table over a ring, with backward-shift deletion), so a
//! replayed message costs one hash and a probe or two whatever the window.

use crate::prelude::*;

use alloc::collections::VecDeque;
use core::hash::{Hash, Hasher};

use super::inbox::Id;

/// Which route a message took: a registered type's id, or the route value itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Route {
    /// A route value the shell interned.
    Type(u32),
    /// Any other route value.
    Text(Box<str>),
}

/// A message's identity for de-duplication.
pub type Seen = (Route, Id);

const EMPTY: u32 = u32::MAX;

/// The last `window` keys seen.
#[derive(Debug)]
pub struct Window {
    /// Oldest first, each with its hash; `ring[i]` has sequence number `first + i`.
    ring: VecDeque<(u64, Seen)>,
    first: u32,
    /// Sequence numbers of the ring's keys by hash, `EMPTY` where free; at most half full.
    slots: Vec<u32>,
    window: usize,
}

/// FNV-1a: small, and good enough for a table whose keys the server chooses but cannot see.
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ *b as u64).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

fn hash(key: &Seen) -> u64 {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    key.hash(&mut h);
    h.0 ^ (h.0 >> 29)
}

impl Window {
    /// Remembers the last `window` keys (at least one).
    pub fn new(window: usize) -> Self {
        let window = window.max(1);
        Window { ring: VecDeque::new(), first: 0, slots: vec![EMPTY; (window * 2).next_power_of_two()], window }
    }

    /// Whether `key` is among the last `window` seen; if not, it is remembered (forgetting
    /// the oldest beyond the window).
    pub fn check(&mut self, key: Seen) -> bool {
        let h = hash(&key);
        let mask = self.slots.len() - 1;
        let mut i = h as usize & mask;
        while self.slots[i] != EMPTY {
            let (kh, k) = &self.ring[self.slots[i].wrapping_sub(self.first) as usize];
            if *kh == h && *k == key {
                return true;
            }
            i = (i + 1) & mask;
        }
        if self.ring.len() == self.window {
            self.forget_oldest();
            i = h as usize & mask;
            while self.slots[i] != EMPTY {
                i = (i + 1) & mask;
            }
        }
        self.slots[i] = self.first.wrapping_add(self.ring.len() as u32);
        self.ring.push_back((h, key));
        false
    }

    fn forget_oldest(&mut self) {
        let Some((h, _)) = self.ring.pop_front() else { return };
        let mask = self.slots.len() - 1;
        let mut hole = h as usize & mask;
        while self.slots[hole] != self.first {
            hole = (hole + 1) & mask;
        }
        self.first = self.first.wrapping_add(1);
        self.slots[hole] = EMPTY;
        let mut j = hole;
        loop {
            j = (j + 1) & mask;
            let seq = self.slots[j];
            if seq == EMPTY {
                return;
            }
            let home = self.ring[seq.wrapping_sub(self.first) as usize].0 as usize & mask;
            // The key at `j` may fill the hole unless its home lies cyclically in (hole, j].
            if j.wrapping_sub(home) & mask >= j.wrapping_sub(hole) & mask {
                self.slots[hole] = seq;
                self.slots[j] = EMPTY;
                hole = j;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(route: u32, id: i64) -> Seen {
        (Route::Type(route), Id::Int(id))
    }

    #[test]
    fn a_key_is_a_duplicate_while_in_the_window_and_new_after() {
        let mut w = Window::new(3);
        assert!(!w.check(key(1, 1)));
        assert!(w.check(key(1, 1)));
        assert!(!w.check(key(2, 1)), "another route, another message");
        assert!(!w.check((Route::Text("x".into()), Id::Text("1".into()))));
        assert!(!w.check(key(1, 2)), "the window slides: (1, 1) is forgotten");
        assert!(!w.check(key(1, 1)));
        assert!(w.check(key(1, 2)) && w.check(key(1, 1)));
    }

    /// Against a plain list, over keys that collide often in a small table, the answers match.
    #[test]
    fn agrees_with_a_naive_window_over_many_keys() {
        for window in [1, 2, 7, 64, 1000] {
            let mut w = Window::new(window);
            let mut naive: VecDeque<Seen> = VecDeque::new();
            let mut x: u64 = 12345;
            for _ in 0..20_000 {
                x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let k = key((x >> 60) as u32, ((x >> 33) % (window as u64 * 3 + 1)) as i64);
                let expected = naive.contains(&k);
                assert_eq!(w.check(k.clone()), expected, "window {window}");
                if !expected {
                    naive.push_back(k);
                    if naive.len() > window {
                        naive.pop_front();
                    }
                }
            }
        }
    }
}
