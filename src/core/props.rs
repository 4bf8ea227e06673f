//! Property tests of the connection (proptest): random interleavings of what the caller, the
//! socket, the network, the page and the clock can do. Whatever happens, at most one socket is
//! ever live, no frame is written twice unless it waits for an ack, none is written after its
//! ack, frames go out in send order, and once the connection is open again everything still
//! owed is written.

use crate::prelude::test::*;

use proptest::prelude::*;

use super::connection::{Action, Connection, Settings};
use super::time::Millis;

#[derive(Debug, Clone)]
enum Event {
    Connect,
    Disconnect,
    Retry,
    Opens,
    Closes(u16),
    Frame,
    Advance(Millis),
    Send,
    SendAcked,
    /// The server acks the `n`th acknowledged frame written so far (modulo).
    Ack(usize),
    /// The shell cannot write the next frame (the socket is closing).
    RefuseNext,
    Online(bool),
    Visible(bool),
}

fn event() -> impl Strategy<Value = Event> {
    prop_oneof![
        1 => Just(Event::Connect),
        1 => Just(Event::Disconnect),
        1 => Just(Event::Retry),
        4 => Just(Event::Opens),
        3 => prop::sample::select(vec![1006u16, 1000, 4000, 4001]).prop_map(Event::Closes),
        2 => Just(Event::Frame),
        4 => (0u64..40_000).prop_map(Event::Advance),
        5 => Just(Event::Send),
        4 => Just(Event::SendAcked),
        3 => any::<usize>().prop_map(Event::Ack),
        1 => Just(Event::RefuseNext),
        1 => any::<bool>().prop_map(Event::Online),
        1 => any::<bool>().prop_map(Event::Visible),
    ]
}

/// The shell and the server, as far as the properties need them.
struct World {
    conn: Connection<String>,
    now: Millis,
    /// The socket the shell holds, and whether it opened.
    live: Option<(u32, bool)>,
    refuse_next: bool,
    /// The shell's socket refused a frame: it is closing, and its close event will come.
    doomed: bool,
    sent: Vec<String>,
    /// Acknowledged frames: their `client_id`s, by frame.
    acked: Vec<(String, Box<str>)>,
    settled: Vec<String>,
    /// Every frame written, in order.
    written: Vec<String>,
}

impl World {
    fn new(refresh: bool) -> World {
        let settings = Settings { resume: true, ack_timeout: 20_000, pause_when_hidden: Some(30_000), queue_max: 40, ..Settings::default() };
        let mut conn = Connection::new(settings, 9, 0);
        conn.set_token_refresh(refresh);
        World { conn, now: 0, live: None, refuse_next: false, doomed: false, sent: Vec::new(), acked: Vec::new(), settled: Vec::new(), written: Vec::new() }
    }

    fn apply(&mut self, e: &Event) {
        let now = self.now;
        match e {
            Event::Connect => self.conn.connect(now),
            Event::Disconnect => self.conn.disconnect(now),
            Event::Retry => self.conn.retry(now),
            Event::Opens => {
                if let Some((g, false)) = self.live {
                    self.live = Some((g, true));
                    self.conn.handle_open(g, now);
                }
            }
            Event::Closes(code) => {
                self.doomed = false;
                if let Some((g, _)) = self.live.take() {
                    self.conn.handle_close(g, *code, now);
                }
            }
            Event::Frame => {
                if let Some((g, true)) = self.live {
                    self.conn.handle_frame(g);
                }
            }
            Event::Advance(ms) => {
                self.now += ms;
                self.conn.handle_timeout(self.now);
            }
            Event::Send => {
                let frame = format!("p{}", self.sent.len());
                if self.conn.send(frame.clone()).is_ok() {
                    self.sent.push(frame);
                }
            }
            Event::SendAcked => {
                let frame = format!("a{}", self.sent.len());
                let ack = self.conn.next_ack_id();
                let id = ack.1.clone();
                if self.conn.send_acked(frame.clone(), ack, now).is_ok() {
                    self.sent.push(frame.clone());
                    self.acked.push((frame, id));
                }
            }
            Event::Ack(n) => {
                let written: Vec<&(String, Box<str>)> = self.acked.iter().filter(|(f, _)| self.written.contains(f)).collect();
                if !written.is_empty() {
                    let (frame, id) = written[n % written.len()].clone();
                    if self.conn.handle_ack(&id).is_some() {
                        self.settled.push(frame);
                    }
                }
            }
            Event::RefuseNext => self.refuse_next = true,
            Event::Online(on) => self.conn.set_online(*on, now),
            Event::Visible(on) => self.conn.set_visible(*on, now),
        }
        self.drain();
    }

    fn drain(&mut self) {
        while let Some(action) = self.conn.poll_action() {
            match action {
                Action::Open { generation } => {
                    assert!(self.live.is_none(), "a second socket while {:?} is live", self.live);
                    self.live = Some((generation, false));
                }
                Action::Close { generation, .. } => {
                    assert_eq!(self.live.map(|(g, _)| g), Some(generation), "closing a socket the shell does not hold");
                    self.live = None;
                    self.doomed = false;
                }
                Action::Transmit(frame) | Action::TransmitAcked(frame) => {
                    assert!(matches!(self.live, Some((_, true))), "writing {frame} with no open socket");
                    let acked = frame.starts_with('a');
                    if core::mem::take(&mut self.refuse_next) {
                        self.doomed = true;
                        match acked {
                            true => self.conn.stalled(),
                            false => self.conn.unsent(frame),
                        }
                        continue;
                    }
                    assert!(!self.settled.contains(&frame), "{frame} written after its ack");
                    assert!(acked || !self.written.contains(&frame), "plain frame {frame} written twice");
                    self.written.push(frame);
                }
                Action::AckTimeout(seq) => {
                    let frame = self.acked.iter().find(|(_, id)| id.ends_with(&format!("-{seq}"))).expect("a known send").0.clone();
                    assert!(!self.settled.contains(&frame), "{frame} settled twice");
                    self.settled.push(frame);
                }
                Action::RefreshToken => {
                    self.conn.token_refreshed(self.now);
                }
                Action::Ping | Action::Resume => {}
            }
        }
    }

    /// Back online and visible, connected and open, with time moving until nothing is owed.
    fn settle(&mut self) {
        self.refuse_next = false;
        self.apply(&Event::Online(true));
        self.apply(&Event::Visible(true));
        for _ in 0..50 {
            if self.doomed {
                self.apply(&Event::Closes(1006));
            }
            if matches!(self.conn.status(), super::connection::Status::Closed | super::connection::Status::Idle) {
                self.apply(&Event::Retry);
            }
            self.apply(&Event::Opens);
            if matches!(self.live, Some((_, true))) && !self.doomed {
                break;
            }
            let at = self.conn.poll_timeout().unwrap_or(self.now);
            self.apply(&Event::Advance(at.saturating_sub(self.now)));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn no_send_is_lost_doubled_or_reordered_and_one_socket_at_most(events in prop::collection::vec(event(), 1..150), refresh in any::<bool>()) {
        let mut w = World::new(refresh);
        for e in &events {
            w.apply(e);
        }
        w.settle();
        prop_assert!(matches!(w.live, Some((_, true))), "the connection opened again: {:?}", w.conn.status());
        // Every frame went out at least once, first writes in send order; every acknowledged
        // one either settled or is still owed (written on this socket, waiting for its ack).
        let mut first_writes: Vec<&String> = Vec::new();
        for f in &w.written {
            if !first_writes.contains(&f) {
                first_writes.push(f);
            }
        }
        let timed_out_unwritten: Vec<&String> = w.sent.iter().filter(|f| !w.written.contains(f)).collect();
        for f in &timed_out_unwritten {
            prop_assert!(false, "{f} was never written");
        }
        prop_assert_eq!(first_writes, w.sent.iter().collect::<Vec<_>>());
        let owed = w.acked.iter().filter(|(f, _)| !w.settled.contains(f)).count();
        prop_assert_eq!(owed, w.conn.unacked() + w.conn.queued());
    }
}
