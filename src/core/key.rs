//! Ids (of conversations and notifications), normalised so that `123` and `"123"` are equal.

/// An id as the core compares it. The shell maps safe integers and their canonical decimal
/// text (`"42"`, not `"042"`) to [`Key::Int`] and interns any other text to a number
/// ([`super::texts::Texts`]), so a key is a small `Copy` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Key {
    /// A safe integer, whether it came as a number or as its canonical decimal text.
    Int(i64),
    /// Any other text (including non-integral numbers in their JS text form), interned.
    Text(u32),
}

/// The largest integer a JS number holds exactly.
const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// The integer a JS number stands for, when it is a safe integer (`-0` is 0).
pub fn safe_integer(n: f64) -> Option<i64> {
    let i = n as i64;
    (i as f64 == n && i.abs() <= MAX_SAFE_INTEGER).then_some(i)
}

/// The integer of canonical decimal text: an optional `-`, no leading zero, no `-0`, and a
/// safe integer (`"9007199254740991"` is one, `"042"`, `"+7"` and `"1.0"` are not).
pub fn canonical_integer(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let well_formed = !digits.is_empty()
        && digits.len() <= 16
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'))
        && text != "-0";
    if !well_formed {
        return None;
    }
    let magnitude = digits.bytes().fold(0i64, |n, d| n * 10 + (d - b'0') as i64);
    (magnitude <= MAX_SAFE_INTEGER).then_some(if digits.len() < text.len() { -magnitude } else { magnitude })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn safe_integers_are_keys_and_other_numbers_are_not() {
        assert_eq!(safe_integer(123.0), Some(123));
        assert_eq!(safe_integer(-0.0), Some(0));
        assert_eq!(safe_integer(9_007_199_254_740_991.0), Some(MAX_SAFE_INTEGER));
        for n in [1.5, f64::NAN, f64::INFINITY, -f64::INFINITY, 9_007_199_254_740_992.0, 1e300] {
            assert_eq!(safe_integer(n), None, "{n}");
        }
    }

    #[test]
    fn canonical_text_is_its_integer() {
        let cases = [("123", 123), ("-7", -7), ("0", 0), ("9007199254740991", MAX_SAFE_INTEGER), ("1234567890123456", 1_234_567_890_123_456)];
        for (text, n) in cases {
            assert_eq!(canonical_integer(text), Some(n), "{text}");
        }
    }

    #[test]
    fn other_text_stays_text() {
        for t in ["042", "+7", "-0", "", "-", "1.5", "conv_67890", " 1", "1 ", "9007199254740992", "12345678901234567", "1e3"] {
            assert_eq!(canonical_integer(t), None, "{t:?}");
        }
    }
}
