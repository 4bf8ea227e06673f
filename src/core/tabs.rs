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

/// What the connection must be told, as the relay to the leader opens or closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Nothing.
    Stay,
    /// The relay of this generation is open: the outbox flushes through the leader.
    Open(u32),
    /// The relay of this generation closed: sends queue here until the next leader opens.
    Close(u32),
    /// Make an attempt now (the connection had stopped, or this tab now owns the socket).
    Retry,
}

/// How a tab's connection reaches the socket: its own (solo, leader), or the leader's through
/// a relay (follower). A follower's connection runs as if the relay were its socket: it "opens"
/// when the leader's socket is open, "closes" when the leader's closes or its page goes; its
/// outbox, acks and order work as they do over a socket of its own.
#[derive(Debug)]
pub struct Relay {
    /// This tab's part.
    pub role: Role,
    /// The generation the follower's connection gave the relay, while it is live.
    generation: Option<u32>,
    /// Whether the relay is open to the connection.
    open: bool,
    leader_open: bool,
    /// `connect()` was asked and no `disconnect()` since: a tab that takes over connects.
    wants: bool,
}

impl Relay {
    /// A relay for a tab in `role`.
    pub fn new(role: Role) -> Relay {
        Relay { role, generation: None, open: false, leader_open: false, wants: false }
    }

    /// The app asked to connect (`true`) or to disconnect.
    pub fn set_wanted(&mut self, wants: bool) {
        self.wants = wants;
    }

    /// A follower's connection opens a "socket" of `generation`: the relay opens at once if
    /// the leader's socket is open.
    pub fn requested(&mut self, generation: u32) -> Step {
        self.generation = Some(generation);
        self.open = self.leader_open;
        match self.open {
            true => Step::Open(generation),
            false => Step::Stay,
        }
    }

    /// The follower's connection closed the relay itself (a retry replaced it, a disconnect).
    pub fn dropped(&mut self, generation: u32) {
        if self.generation == Some(generation) {
            self.generation = None;
            self.open = false;
        }
    }

    /// Whether `generation` is the relay (its socket actions are not a real socket's).
    pub fn is_relay(&self, generation: u32) -> bool {
        self.role == Role::Follower && self.generation == Some(generation)
    }

    /// Whether a frame written now reaches the leader.
    pub fn writable(&self) -> bool {
        self.open && self.leader_open
    }

    /// The live relay's generation, for liveness.
    pub fn generation(&self) -> Option<u32> {
        self.generation
    }

    /// The leader said its socket is open or not (or its page left: not open).
    pub fn leader(&mut self, open: bool) -> Step {
        let was = core::mem::replace(&mut self.leader_open, open);
        match (self.generation, open, was) {
            (Some(g), true, _) if !self.open && self.wants => {
                self.open = true;
                Step::Open(g)
            }
            (None, true, false) if self.wants => Step::Retry,
            (Some(g), false, _) if self.open => {
                self.open = false;
                self.generation = None;
                Step::Close(g)
            }
            _ => Step::Stay,
        }
    }

    /// This tab got the lock: the relay closes (what it had written through the old leader
    /// and was not acked goes out again on the tab's own socket), and the tab connects if it
    /// was asked to.
    pub fn became_leader(&mut self) -> (Option<u32>, bool) {
        self.role = Role::Leader;
        self.leader_open = false;
        self.open = false;
        (self.generation.take(), self.wants)
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
    fn one_tab_notifies_unless_it_follows() {
        assert!(Role::Solo.notifies() && Role::Leader.notifies() && !Role::Follower.notifies());
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
    fn a_follower_writes_through_the_leader_only_while_its_socket_is_open() {
        let mut r = Relay::new(Role::Follower);
        r.set_wanted(true);
        assert_eq!(r.requested(1), Step::Stay, "the leader's socket is not open yet");
        assert!(!r.writable() && r.is_relay(1));
        assert_eq!(r.leader(true), Step::Open(1));
        assert!(r.writable());
        assert_eq!(r.leader(true), Step::Stay, "told again: nothing new");
        assert_eq!(r.leader(false), Step::Close(1));
        assert!(!r.writable() && !r.is_relay(1));
        assert_eq!(r.requested(2), Step::Stay, "the connection retried: waits for the leader");
        assert_eq!(r.leader(true), Step::Open(2));
    }

    #[test]
    fn a_follower_that_stopped_trying_tries_again_when_the_leader_opens() {
        let mut r = Relay::new(Role::Follower);
        r.set_wanted(true);
        r.requested(1);
        r.leader(true);
        r.leader(false);
        assert_eq!(r.leader(true), Step::Retry, "its connection gave up meanwhile: retry");
        r.set_wanted(false);
        r.leader(false);
        assert_eq!(r.leader(true), Step::Stay, "disconnected by the app: stays so");
    }

    #[test]
    fn taking_over_closes_the_relay_and_connects_if_asked() {
        let mut r = Relay::new(Role::Follower);
        r.set_wanted(true);
        r.requested(4);
        r.leader(true);
        assert_eq!(r.became_leader(), (Some(4), true));
        assert_eq!(r.role, Role::Leader);
        assert!(!r.is_relay(4) && !r.writable());
        let mut idle = Relay::new(Role::Follower);
        assert_eq!(idle.became_leader(), (None, false), "never asked to connect: no socket");
    }

    #[test]
    fn a_relay_the_connection_replaced_is_forgotten() {
        let mut r = Relay::new(Role::Follower);
        r.set_wanted(true);
        r.leader(true);
        assert_eq!(r.requested(1), Step::Open(1));
        r.dropped(1);
        assert!(!r.writable());
        assert_eq!(r.leader(false), Step::Stay);
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
