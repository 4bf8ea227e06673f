//! The whole core in one value: connection, listeners and counters, fed one frame at a time.

use super::connection::{Connection, Settings};
use super::conversation::ConversationKey;
use super::router::{ListenerId, Router};
use super::stats::Stats;
use super::time::Millis;

/// The core of one `RealtimeContext`. `P` is the outgoing frame type, `F` the callback type.
#[derive(Debug)]
pub struct Client<P, F> {
    /// The socket's state machine.
    pub connection: Connection<P>,
    /// Who gets what.
    pub router: Router<F>,
    /// Counters for `stats()`.
    pub stats: Stats,
    pong_type: Option<u32>,
}

impl<P, F> Client<P, F> {
    /// A core whose heartbeat answers have type id `pong_type` (`None` without heartbeat).
    pub fn new(settings: Settings, seed: u64, now: Millis, pong_type: Option<u32>) -> Self {
        Client { connection: Connection::new(settings, seed, now), router: Router::default(), stats: Stats::default(), pong_type }
    }

    /// A frame of `size` arrived on socket `generation`: counts it and notes liveness.
    /// Returns `false` for a frame of a socket that was replaced, which must be ignored.
    pub fn handle_frame(&mut self, generation: u32, now: Millis, size: u64) -> bool {
        if !self.connection.handle_frame(generation, now) {
            return false;
        }
        self.stats.messages_in += 1;
        self.stats.bytes_in += size;
        true
    }

    /// One decoded message: appends to `out` the listeners it reaches, in order. A heartbeat
    /// answer is consumed here and reaches no one.
    pub fn handle_message(&mut self, now: Millis, type_id: Option<u32>, conversation: Option<&ConversationKey>, out: &mut Vec<ListenerId>) {
        if type_id.is_some() && type_id == self.pong_type {
            return self.connection.handle_pong(now);
        }
        self.router.route(type_id, conversation, out);
    }

    /// A frame or batch element was dropped as malformed.
    pub fn handle_malformed(&mut self) {
        self.stats.malformed_dropped += 1;
    }

    /// A frame of `size` was written.
    pub fn count_sent(&mut self, size: u64) {
        self.stats.messages_out += 1;
        self.stats.bytes_out += size;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::connection::Action;
    use crate::core::router::Topic;

    #[test]
    fn pongs_are_consumed_and_measure_the_round_trip() {
        let mut c: Client<String, &str> = Client::new(Settings::default(), 1, 0, Some(0));
        c.router.subscribe(Topic::Any, "any");
        c.router.subscribe(Topic::Type(0), "pong-listener");
        c.connection.connect(0);
        assert_eq!(c.connection.poll_action(), Some(Action::Open { generation: 1 }));
        c.connection.handle_open(1, 10);
        c.connection.handle_timeout(25_010);
        assert_eq!(c.connection.poll_action(), Some(Action::Ping));
        assert!(c.handle_frame(1, 25_042, 15));
        let mut out = Vec::new();
        c.handle_message(25_042, Some(0), None, &mut out);
        assert!(out.is_empty(), "a pong reaches no listener, \"*\" included");
        assert_eq!(c.connection.last_rtt(), Some(32));
        c.handle_message(25_050, Some(1), None, &mut out);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn frames_of_a_replaced_socket_are_not_counted() {
        let mut c: Client<String, ()> = Client::new(Settings::default(), 1, 0, None);
        c.connection.connect(0);
        c.connection.handle_open(1, 1);
        assert!(c.handle_frame(1, 2, 100));
        c.connection.disconnect(3);
        assert!(!c.handle_frame(1, 4, 100));
        assert_eq!((c.stats.messages_in, c.stats.bytes_in), (1, 100));
    }
}
