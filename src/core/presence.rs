//! Who is online: users come and go one event at a time, a snapshot replaces the whole set,
//! and nothing is known while disconnected.

use crate::prelude::*;

use super::key::Key;

/// The online users, in the order they came online. `V` is an id as first given.
#[derive(Debug)]
pub struct Presence<V> {
    users: Vec<(Key, V)>,
}

impl<V> Default for Presence<V> {
    fn default() -> Self {
        Presence { users: Vec::new() }
    }
}

impl<V: Clone> Presence<V> {
    /// `user` came online: whether the set changed.
    pub fn online(&mut self, user: (Key, V)) -> bool {
        let new = !self.contains(&user.0);
        if new {
            self.users.push(user);
        }
        new
    }

    /// `user` went offline: whether the set changed.
    pub fn offline(&mut self, user: &Key) -> bool {
        let at = self.users.iter().position(|(k, _)| k == user);
        at.map(|i| self.users.remove(i)).is_some()
    }

    /// A snapshot of who is online replaces the set (each user once, in the snapshot's
    /// order): whether it changed.
    pub fn replace(&mut self, snapshot: Vec<(Key, V)>) -> bool {
        let before = core::mem::take(&mut self.users);
        for user in snapshot {
            self.online(user);
        }
        before.len() != self.users.len() || before.iter().zip(&self.users).any(|(a, b)| a.0 != b.0)
    }

    /// The connection closed: nothing is known. Whether the set changed.
    pub fn clear(&mut self) -> bool {
        let had = !self.users.is_empty();
        self.users.clear();
        had
    }

    /// Whether `user` is online.
    pub fn contains(&self, user: &Key) -> bool {
        self.users.iter().any(|(k, _)| k == user)
    }

    /// The online users' ids, in the order they came online.
    pub fn users(&self) -> impl Iterator<Item = &V> {
        self.users.iter().map(|(_, v)| v)
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
