//! Building messages without `core::fmt`, which costs kilobytes in wasm.

use crate::prelude::*;

/// Appends `n` in decimal.
pub fn push_decimal(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits[at..].iter().for_each(|d| out.push(*d as char));
}

/// The decimal text of an integer (`-7`).
pub fn decimal(n: i64) -> String {
    let mut text = String::from(if n < 0 { "-" } else { "" });
    push_decimal(&mut text, n.unsigned_abs());
    text
}

/// `parts` joined: the message of an error, built in one allocation.
pub fn join(parts: &[&str]) -> String {
    let mut s = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    parts.iter().for_each(|p| s.push_str(p));
    s
}

#[cfg(test)]
mod tests {
    use crate::prelude::test::*;
    use super::*;

    #[test]
    fn decimals_and_joins() {
        for n in [0, 7, 10, 4001, u64::MAX] {
            let mut s = String::from("n=");
            push_decimal(&mut s, n);
            assert_eq!(s, format!("n={n}"));
        }
        assert_eq!(join(&["a", "", "bc"]), "abc");
    }
}
