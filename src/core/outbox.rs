//! The outbox: every frame sent and not yet gone, in send order. A plain frame leaves once
//! written; an acknowledged one stays, written again on every new socket, until its ack comes
//! or its budget of open-connection time runs out.
//!
//! Frames are written one at a time ([`Outbox::next`]): a frame the socket refuses goes back to
//! where it was, so order holds whatever fails.

use crate::prelude::*;

use alloc::collections::VecDeque;

use super::rng::Rng;
use super::text::push_decimal;
use super::time::Millis;

/// The outbox already holds `queue.maxMessages` frames; the frame was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueFull;

/// What an acknowledged frame waits for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    /// Local number of the send (names its Promise); restored frames get one too.
    pub seq: u32,
    /// The `client_id` the frame carries and its ack echoes.
    pub id: Box<str>,
    /// Open-connection time left before it times out.
    budget: Millis,
    /// When it times out, while written on the open socket.
    deadline: Option<Millis>,
    /// Written at least once.
    written: bool,
}

/// One frame of the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<P> {
    /// The frame as written.
    pub frame: P,
    /// `Some` for an acknowledged send.
    pub ack: Option<Ack>,
}

/// The frames of one context, oldest first.
#[derive(Debug)]
pub struct Outbox<P> {
    entries: VecDeque<Entry<P>>,
    /// Entries before it were written on the current socket (only acknowledged ones stay).
    cursor: usize,
    max: usize,
    /// Makes `client_id`s unique across contexts and reloads.
    prefix: u64,
    next_seq: u32,
    changed: bool,
}

impl<P: Clone> Outbox<P> {
    /// An empty outbox holding at most `max` frames; `rng` draws the `client_id` prefix.
    pub fn new(max: usize, rng: &mut Rng) -> Self {
        let prefix = (rng.next_unit() * 9_007_199_254_740_992.0) as u64;
        Outbox { entries: VecDeque::new(), cursor: 0, max, prefix, next_seq: 0, changed: false }
    }

    /// A fresh `client_id` and the number of its send: `c<random>-<n>`.
    pub fn next_ack_id(&mut self) -> (u32, Box<str>) {
        let seq = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1);
        let mut id = String::from("c");
        push_decimal(&mut id, self.prefix);
        id.push('-');
        push_decimal(&mut id, seq as u64);
        (seq, id.into())
    }

    /// Appends a plain frame (`ack: None`) or an acknowledged one with `timeout` of budget. At
    /// most `max` frames wait to be written: beyond that the frame is handed back, unless it is
    /// written at once (`now`).
    pub fn push(&mut self, frame: P, ack: Option<(u32, Box<str>)>, timeout: Millis, now: bool) -> Result<(), (QueueFull, P)> {
        if !now && self.queued() >= self.max {
            return Err((QueueFull, frame));
        }
        let ack = ack.map(|(seq, id)| Ack { seq, id, budget: timeout, deadline: None, written: false });
        self.entries.push_back(Entry { frame, ack });
        self.changed = true;
        Ok(())
    }

    /// A frame kept from an earlier page (`id`: its `client_id` when it was acknowledged): it
    /// goes after what is there, past `max` if need be, since it was accepted once.
    pub fn restore(&mut self, frame: P, id: Option<Box<str>>, timeout: Millis) {
        let ack = id.map(|id| {
            let (seq, _) = self.next_ack_id();
            Ack { seq, id, budget: timeout, deadline: None, written: false }
        });
        self.entries.push_back(Entry { frame, ack });
        self.changed = true;
    }

    /// The next frame to write on the open socket at `now`, and whether it is acknowledged. A
    /// plain frame leaves the outbox (give it back with [`Outbox::refused`] if the socket does
    /// not take it); an acknowledged one stays, its timeout running from `now`.
    pub fn next(&mut self, now: Millis) -> Option<(P, bool)> {
        let entry = self.entries.get_mut(self.cursor)?;
        match &mut entry.ack {
            Some(ack) => {
                ack.written = true;
                ack.deadline = Some(now + ack.budget);
                self.cursor += 1;
                Some((entry.frame.clone(), true))
            }
            None => {
                self.changed = true;
                self.entries.remove(self.cursor).map(|e| (e.frame, false))
            }
        }
    }

    /// The plain frame [`Outbox::next`] just gave was not written: it goes back in its place.
    pub fn refused(&mut self, frame: P) {
        self.entries.insert(self.cursor, Entry { frame, ack: None });
        self.changed = true;
    }

    /// The acknowledged frame [`Outbox::next`] just gave was not written: its timeout stops
    /// and it goes out again on the next socket.
    pub fn stalled(&mut self, now: Millis) {
        self.cursor = self.cursor.saturating_sub(1);
        if let Some(ack) = self.entries.get_mut(self.cursor).and_then(|e| e.ack.as_mut()) {
            if let Some(deadline) = ack.deadline.take() {
                ack.budget = deadline.saturating_sub(now);
            }
        }
    }

    /// A new socket opened: everything still here is written again, from the oldest.
    pub fn rewind(&mut self) {
        self.cursor = 0;
    }

    /// The socket stopped being open at `now`: timeouts stop, keeping the budget left.
    pub fn pause(&mut self, now: Millis) {
        for ack in self.entries.iter_mut().filter_map(|e| e.ack.as_mut()) {
            if let Some(deadline) = ack.deadline.take() {
                ack.budget = deadline.saturating_sub(now);
            }
        }
        self.cursor = 0;
    }

    /// The ack of `id` arrived: the frame leaves; returns its send's number.
    pub fn acknowledge(&mut self, id: &str) -> Option<u32> {
        let at = self.entries.iter().position(|e| e.ack.as_ref().is_some_and(|a| &*a.id == id))?;
        if at < self.cursor {
            self.cursor -= 1;
        }
        self.changed = true;
        self.entries.remove(at).and_then(|e| e.ack).map(|a| a.seq)
    }

    /// The earliest ack timeout.
    pub fn next_deadline(&self) -> Option<Millis> {
        self.entries.iter().filter_map(|e| e.ack.as_ref()?.deadline).min()
    }

    /// Removes every acknowledged frame whose timeout is at or before `now`, passing each
    /// one's send number to `expired`, in order.
    pub fn expire(&mut self, now: Millis, mut expired: impl FnMut(u32)) {
        let mut i = 0;
        while i < self.entries.len() {
            match self.entries[i].ack.as_ref() {
                Some(ack) if ack.deadline.is_some_and(|at| at <= now) => {
                    expired(ack.seq);
                    self.entries.remove(i);
                    self.changed = true;
                    if i < self.cursor {
                        self.cursor -= 1;
                    }
                }
                _ => i += 1,
            }
        }
    }

    /// Moves every timeout due at or before `now` to `to`.
    pub fn postpone(&mut self, now: Millis, to: Millis) {
        for ack in self.entries.iter_mut().filter_map(|e| e.ack.as_mut()) {
            if let Some(at) = ack.deadline.as_mut().filter(|at| **at <= now) {
                *at = to;
            }
        }
    }

    /// Frames never written yet.
    pub fn queued(&self) -> usize {
        self.entries.iter().filter(|e| !e.ack.as_ref().is_some_and(|a| a.written)).count()
    }

    /// Acknowledged frames written and waiting for their ack.
    pub fn unacked(&self) -> usize {
        self.entries.len() - self.queued()
    }

    /// Whether a frame waits to be written on the current socket.
    pub fn has_next(&self) -> bool {
        self.cursor < self.entries.len()
    }

    /// Every frame, oldest first (what a reload must not lose).
    pub fn entries(&self) -> impl Iterator<Item = &Entry<P>> {
        self.entries.iter()
    }

    /// Drops every frame.
    pub fn clear(&mut self) {
        self.changed |= !self.entries.is_empty();
        self.entries.clear();
        self.cursor = 0;
    }

    /// Whether the frames changed since the last call.
    pub fn take_change(&mut self) -> bool {
        core::mem::take(&mut self.changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outbox(max: usize) -> Outbox<&'static str> {
        Outbox::new(max, &mut Rng::new(3))
    }

    fn drain(o: &mut Outbox<&'static str>, now: Millis) -> Vec<(&'static str, bool)> {
        core::iter::from_fn(|| o.next(now)).collect()
    }

    #[test]
    fn plain_frames_leave_once_written_acknowledged_ones_stay_until_acked() {
        let mut o = outbox(10);
        let (seq, id) = o.next_ack_id();
        o.push("a", None, 0, false).unwrap();
        o.push("b", Some((seq, id.clone())), 500, false).unwrap();
        o.push("c", None, 0, false).unwrap();
        assert_eq!((o.queued(), o.unacked()), (3, 0));
        assert_eq!(drain(&mut o, 100), [("a", false), ("b", true), ("c", false)]);
        assert_eq!((o.queued(), o.unacked()), (0, 1));
        assert_eq!(o.next_deadline(), Some(600));
        assert_eq!(o.acknowledge(&id), Some(seq));
        assert_eq!(o.acknowledge(&id), None, "a second ack finds nothing");
        assert_eq!(o.entries().count(), 0);
    }

    #[test]
    fn a_new_socket_writes_the_unacked_again_before_later_frames_in_send_order() {
        let mut o = outbox(10);
        let ack = o.next_ack_id();
        o.push("acked", Some(ack), 1000, false).unwrap();
        drain(&mut o, 0);
        o.pause(300);
        o.push("later", None, 0, false).unwrap();
        o.rewind();
        assert_eq!(drain(&mut o, 5_000), [("acked", true), ("later", false)]);
        assert_eq!(o.next_deadline(), Some(5_700), "only open time counts: 700 ms of budget were left");
    }

    #[test]
    fn a_refused_frame_goes_back_in_its_place() {
        let mut o = outbox(10);
        let ack = o.next_ack_id();
        o.push("a", None, 0, false).unwrap();
        o.push("b", Some(ack), 1000, false).unwrap();
        o.push("c", None, 0, false).unwrap();
        let (frame, _) = o.next(0).unwrap();
        o.refused(frame);
        o.pause(0);
        assert_eq!(drain(&mut o, 0), [("a", false), ("b", true), ("c", false)]);
    }

    #[test]
    fn full_outbox_hands_the_frame_back_but_restores_past_the_limit() {
        let mut o = outbox(1);
        o.push("a", None, 0, false).unwrap();
        assert_eq!(o.push("b", None, 0, false), Err((QueueFull, "b")));
        assert!(o.push("now", None, 0, true).is_ok(), "a frame written at once does not wait");
        assert_eq!(o.next(0), Some(("a", false)));
        assert_eq!(o.next(0), Some(("now", false)));
        o.push("c", None, 0, false).unwrap();
        o.restore("kept", Some("c1-0".into()), 100);
        assert_eq!(o.entries().count(), 2, "past the limit");
        assert_eq!(drain(&mut o, 0), [("c", false), ("kept", true)]);
        assert!(o.acknowledge("c1-0").is_some(), "a restored frame is acknowledged by its own id");
    }

    #[test]
    fn timeouts_expire_in_order_and_can_be_postponed() {
        let mut o = outbox(10);
        let (a, b) = (o.next_ack_id(), o.next_ack_id());
        let (sa, sb) = (a.0, b.0);
        o.push("a", Some(a), 100, false).unwrap();
        o.push("b", Some(b), 200, false).unwrap();
        drain(&mut o, 0);
        o.postpone(150, 1_000);
        let mut expired = Vec::new();
        o.expire(199, |s| expired.push(s));
        assert!(expired.is_empty());
        o.expire(1_000, |s| expired.push(s));
        assert_eq!(expired, [sa, sb]);
        assert_eq!(o.entries().count(), 0);
    }

    #[test]
    fn ack_ids_are_unique_and_carry_the_random_prefix() {
        let mut o = outbox(1);
        let ids: Vec<Box<str>> = (0..3).map(|_| o.next_ack_id().1).collect();
        assert!(ids[0].starts_with('c') && ids[0].ends_with("-0") && ids[2].ends_with("-2"));
        let other = Outbox::<&str>::new(1, &mut Rng::new(4)).next_ack_id().1;
        assert_ne!(ids[0], other, "another seed, another prefix");
    }

    #[test]
    fn changes_are_reported_once() {
        let mut o = outbox(3);
        assert!(!o.take_change());
        o.push("a", None, 0, false).unwrap();
        assert!(o.take_change() && !o.take_change());
        drain(&mut o, 0);
        assert!(o.take_change());
        o.clear();
        assert!(!o.take_change(), "clearing nothing changes nothing");
    }
}
