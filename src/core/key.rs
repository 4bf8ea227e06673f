//! Ids (of conversations and notifications), normalised so that `123` and `"123"` are equal.

use crate::prelude::*;

use super::text::push_decimal;

/// An id as the core compares it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    /// A safe integer, whether it came as a number or as its canonical decimal text.
    Int(i64),
    /// Any other text (including non-integral numbers in their JS text form).
    Text(Box<str>),
}

const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

impl Key {
    /// The key of a JS number, or `None` when it is not a safe integer (the shell then
    /// passes the number's JS text to [`Key::from_text`]).
    pub fn from_number(n: f64) -> Option<Self> {
        (n == n as i64 as f64 && (-MAX_SAFE_INTEGER..=MAX_SAFE_INTEGER).contains(&n)).then_some(Key::Int(n as i64))
    }

    /// The key of a text id: canonical integers (`"42"`, `"-7"`, not `"042"` or `"+7"`)
    /// become [`Key::Int`].
    pub fn from_text(text: &str) -> Self {
        let digits = text.strip_prefix('-').unwrap_or(text);
        let canonical = !digits.is_empty()
            && digits.len() <= 15
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'))
            && text != "-0";
        match canonical {
            true => {
                let magnitude = digits.bytes().fold(0i64, |n, d| n * 10 + (d - b'0') as i64);
                Key::Int(if digits.len() < text.len() { -magnitude } else { magnitude })
            }
            false => Key::Text(text.into()),
        }
    }
}

impl Key {
    /// Appends the id's text form (`42`, `conv_9`), as a notification tag uses it.
    pub fn push_to(&self, out: &mut String) {
        match self {
            Key::Int(n) => {
                if *n < 0 {
                    out.push('-');
                }
                push_decimal(out, n.unsigned_abs());
            }
            Key::Text(text) => out.push_str(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::prelude::test::*;
    use super::Key::{self, Int, Text};

    #[test]
    fn numbers_and_their_text_are_the_same_conversation() {
        assert_eq!(Key::from_number(123.0), Some(Int(123)));
        assert_eq!(Key::from_text("123"), Int(123));
        assert_eq!(Key::from_text("-7"), Key::from_number(-7.0).unwrap());
        assert_eq!(Key::from_number(-0.0), Some(Int(0)));
    }

    #[test]
    fn non_canonical_text_stays_text() {
        for t in ["042", "+7", "-0", "", "-", "1.5", "conv_67890", " 1", "1234567890123456"] {
            assert_eq!(Key::from_text(t), Text(t.into()), "{t:?}");
        }
    }

    #[test]
    fn text_forms_round_trip() {
        for text in ["42", "-7", "0", "conv_9", "1.5"] {
            let mut out = String::new();
            Key::from_text(text).push_to(&mut out);
            assert_eq!(out, text);
        }
    }

    #[test]
    fn non_integral_or_unsafe_numbers_are_refused() {
        for n in [1.5, f64::NAN, f64::INFINITY, 1e16] {
            assert_eq!(Key::from_number(n), None, "{n}");
        }
    }
}
