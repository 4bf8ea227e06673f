//! Who is online: users come and go one event at a time, a snapshot replaces the whole set,
//! and nothing is known while disconnected.

use crate::prelude::*;

use super::key::Key;
use super::vecmap::VecMap;

/// The online users, in the order they came online. `V` is an id as first given.
#[derive(Debug)]
pub struct Presence<V> {
    /// Each online user's place in `order`.
    places: VecMap<Key, usize>,
    /// The users in the order they came online; `None` where one went offline (compacted once
    /// those are half).
    order: Vec<Option<(Key, V)>>,
}

impl<V> Default for Presence<V> {
    fn default() -> Self {
        Presence { places: VecMap::default(), order: Vec::new() }
    }
}

impl<V: Clone> Presence<V> {
    /// `user` came online: whether the set changed.
    pub fn online(&mut self, user: (Key, V)) -> bool {
        if self.contains(&user.0) {
            return false;
        }
        self.places.get_or_insert_with(user.0, || self.order.len());
        self.order.push(Some(user));
        true
    }

    /// `user` went offline: whether the set changed.
    pub fn offline(&mut self, user: &Key) -> bool {
        let Some(place) = self.places.remove(user) else { return false };
        if let Some(slot) = self.order.get_mut(place) {
            *slot = None;
        }
        if self.places.len() * 2 < self.order.len() {
            self.order.retain(Option::is_some);
            for (place, (key, _)) in self.order.iter().flatten().enumerate() {
                if let Some(p) = self.places.get_mut(key) {
                    *p = place;
                }
            }
        }
        true
    }

    /// A snapshot of who is online replaces the set (each user once, in the snapshot's
    /// order): whether it changed.
    pub fn replace(&mut self, snapshot: Vec<(Key, V)>) -> bool {
        let before: Vec<Key> = self.keys().collect();
        self.clear();
        for user in snapshot {
            self.online(user);
        }
        !before.into_iter().eq(self.keys())
    }

    /// The online users' keys, in the order they came online.
    fn keys(&self) -> impl Iterator<Item = Key> + '_ {
        self.order.iter().flatten().map(|(k, _)| *k)
    }

    /// The connection closed: nothing is known. Whether the set changed.
    pub fn clear(&mut self) -> bool {
        let had = !self.places.is_empty();
        self.places = VecMap::default();
        self.order.clear();
        had
    }

    /// Whether `user` is online.
    pub fn contains(&self, user: &Key) -> bool {
        self.places.get(user).is_some()
    }

    /// The online users' ids, in the order they came online.
    pub fn users(&self) -> impl Iterator<Item = &V> {
        self.order.iter().flatten().map(|(_, v)| v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(p: &Presence<&'static str>) -> Vec<&'static str> {
        p.users().copied().collect()
    }

    #[test]
    fn users_come_and_go_once_each() {
        let mut p = Presence::default();
        assert!(p.online((Key::Int(1), "1")));
        assert!(p.online((Key::Int(2), "2")));
        assert!(!p.online((Key::Int(1), "1")), "already online");
        assert_eq!(ids(&p), ["1", "2"]);
        assert!(p.offline(&Key::Int(1)));
        assert!(!p.offline(&Key::Int(1)), "already offline");
        assert!(p.contains(&Key::Int(2)) && !p.contains(&Key::Int(1)));
    }

    #[test]
    fn thousands_come_and_go_in_order() {
        let mut p = Presence::default();
        for n in 0..5000 {
            assert!(p.online((Key::Int((n * 7919) % 5000), n)));
        }
        for n in (0..5000).filter(|n| n % 3 != 0) {
            assert!(p.offline(&Key::Int((n * 7919) % 5000)), "{n}");
        }
        assert!(p.order.len() < 2 * 1667, "compacted");
        let kept: Vec<i64> = p.users().copied().collect();
        assert_eq!(kept, (0..5000).filter(|n| n % 3 == 0).collect::<Vec<_>>(), "in the order they came");
        assert!(p.contains(&Key::Int((3 * 7919) % 5000)) && !p.contains(&Key::Int(7919 % 5000)));
        assert!(p.online((Key::Int(7919 % 5000), 1)), "back online, last");
        assert_eq!(p.users().last(), Some(&1));
    }

    #[test]
    fn a_snapshot_replaces_the_set_and_a_disconnect_clears_it() {
        let mut p = Presence::default();
        p.online((Key::Int(9), "9"));
        assert!(p.replace(vec![(Key::Int(1), "1"), (Key::Int(2), "2"), (Key::Int(1), "1")]));
        assert_eq!(ids(&p), ["1", "2"], "9 left while we were away; 1 once");
        assert!(!p.replace(vec![(Key::Int(1), "1"), (Key::Int(2), "2")]), "the same set is no change");
        assert!(p.clear());
        assert!(!p.clear(), "cleared already");
        assert!(!p.replace(vec![]), "an empty snapshot of an empty set");
    }
}
