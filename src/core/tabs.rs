//! One socket for all tabs of a user: the rules the tabs follow. The browser elects the leader
//! (a Web Lock); the leader owns the socket and relays every frame, the followers relay their
//! sends to it. What the rules decide here: which tab raises browser notifications, which
//! conversations count as seen because some visible tab shows them, and how many tabs there are.

use super::key::Key;
use super::vecmap::VecMap;

/// A tab's part in sharing the socket (`stats().role`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Not sharing: its own socket.
    Solo,
    /// Holds the lock and the socket; relays frames to the others.
    Leader,
    /// Waits for the lock; gets frames from the leader and writes through it.
    Follower,
}

impl Role {
    /// Whether this tab raises browser notifications: one tab does, so a message notifies once.
    pub fn notifies(self) -> bool {
        self != Role::Follower
    }

    /// Whether this tab owns a socket.
    pub fn owns_socket(self) -> bool {
        self != Role::Follower
    }

    /// The name `stats().role` shows.
    pub fn name(self) -> &'static str {
        match self {
            Role::Solo => "solo",
            Role::Leader => "leader",
            Role::Follower => "follower",
        }
    }
}

/// The other tabs of this user, as they announced themselves: by tab id, the conversation each
/// shows while visible (`None`: hidden, or none active).
#[derive(Debug, Default)]
pub struct Peers {
    views: VecMap<u64, Option<Key>>,
}

impl Peers {
    /// Tab `tab` exists and shows `view` (a conversation while visible, else `None`).
    pub fn set_view(&mut self, tab: u64, view: Option<Key>) {
        *self.views.get_or_insert_with(tab, || None) = view;
    }

    /// Tab `tab` is gone.
    pub fn forget(&mut self, tab: u64) {
        self.views.remove(&tab);
    }

    /// Whether another visible tab shows conversation `key`: its messages are seen, so they
    /// count as unread nowhere and notify nowhere.
    pub fn shows(&self, key: &Key) -> bool {
        self.views.values().any(|view| view.as_ref() == Some(key))
    }

    /// How many other tabs there are.
    pub fn len(&self) -> usize {
        self.views.len()
    }

    /// Whether there is no other tab.
    pub fn is_empty(&self) -> bool {
        self.views.is_empty()
    }

    /// Forgets every tab (this tab is leaving, or a new leader asks everyone again).
    pub fn clear(&mut self) {
        self.views = VecMap::default();
    }
}

/// What a tab announces of itself: the conversation it shows, if it is visible.
pub fn view(active: Option<Key>, visible: bool) -> Option<Key> {
    active.filter(|_| visible)
}

/// The channel's and the lock's name for `url` and `user`: a hash, so neither the user's id nor
/// anything of a token is readable in them, and another user's tabs never meet these.
pub fn channel_name(url: &str, user: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in url.bytes().chain([0u8]).chain(user.bytes()) {
        h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_tab_notifies_and_owns_a_socket_unless_it_follows() {
        assert!(Role::Solo.notifies() && Role::Leader.notifies() && !Role::Follower.notifies());
        assert!(Role::Leader.owns_socket() && !Role::Follower.owns_socket());
        assert_eq!([Role::Solo.name(), Role::Leader.name(), Role::Follower.name()], ["solo", "leader", "follower"]);
    }

    #[test]
    fn a_conversation_is_seen_while_some_visible_tab_shows_it() {
        let mut peers = Peers::default();
        peers.set_view(1, view(Some(Key::Int(5)), true));
        peers.set_view(2, view(Some(Key::Int(6)), false));
        assert!(peers.shows(&Key::Int(5)));
        assert!(!peers.shows(&Key::Int(6)), "a hidden tab sees nothing");
        assert_eq!(peers.len(), 2);
        peers.set_view(1, None);
        assert!(!peers.shows(&Key::Int(5)));
        peers.forget(1);
        peers.forget(2);
        assert!(peers.is_empty());
    }

    #[test]
    fn channel_names_differ_by_url_and_user_and_do_not_run_together() {
        let a = channel_name("/ws/realtime/", "ada");
        assert_eq!(a, channel_name("/ws/realtime/", "ada"));
        assert_ne!(a, channel_name("/ws/realtime/", "bob"));
        assert_ne!(a, channel_name("/ws/other/", "ada"));
        assert_ne!(channel_name("/ws/a", "b"), channel_name("/ws/", "ab"));
    }
}
