// js/keys.js: keyOf against the tests of the Rust key module (src/core/key.rs before the move; same
// names), then Texts (interning and rebuilding ids from the words the wasm core writes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keyOf, Texts } from '../js/keys.js';

test('numbers_and_their_text_are_the_same_conversation', () => {
  assert.equal(keyOf(123), 123);
  assert.equal(keyOf('123'), 123);
  assert.equal(keyOf('-7'), keyOf(-7));
  assert.equal(keyOf('-7'), -7);
  // -0 is the id 0: the same key under ===, Map/Set (SameValueZero) and in text form.
  assert.ok(keyOf(-0) === 0);
  assert.ok(new Set([keyOf(-0)]).has(keyOf(0)));
  assert.equal(String(keyOf(-0)), '0');
});

test('non_canonical_text_stays_text', () => {
  for (const t of ['042', '+7', '-0', '', '-', '1.5', 'conv_67890', ' 1', '9999999999999999']) {
    assert.equal(keyOf(t), t, JSON.stringify(t));
  }
});

test('text_forms_round_trip', () => {
  // The Rust `push_to`: the text form of an id, as a notification tag uses it (`String(key)` in JS).
  for (const text of ['42', '-7', '0', 'conv_9', '1.5']) {
    assert.equal(String(keyOf(text)), text);
  }
});

test('non_integral_or_unsafe_numbers_are_refused', () => {
  // Rust's `from_number` refuses them (the shell then keys their JS text); in JS `keyOf` does both steps.
  assert.equal(keyOf(1.5), '1.5');
  assert.equal(keyOf(1e16), '10000000000000000');
  assert.equal(keyOf(1e16), keyOf(String(1e16)));
  assert.equal(keyOf(NaN), undefined);
  assert.equal(keyOf(Infinity), undefined);
  assert.equal(keyOf(-Infinity), undefined);
});

test('the_largest_canonical_text_and_safe_numbers', () => {
  assert.equal(keyOf('999999999999999'), 999999999999999); // 15 digits: an integer
  assert.equal(keyOf('-999999999999999'), -999999999999999);
  assert.equal(keyOf(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
  assert.equal(keyOf(-Number.MAX_SAFE_INTEGER), -Number.MAX_SAFE_INTEGER);
  assert.equal(keyOf(Number.MAX_SAFE_INTEGER + 1), '9007199254740992');
  // 16 digits: an integer while safe, so the text and the number are one id; past 2^53 text.
  assert.equal(keyOf('9007199254740991'), Number.MAX_SAFE_INTEGER);
  assert.equal(keyOf('-1234567890123456'), keyOf(-1234567890123456));
  assert.equal(keyOf('9007199254740992'), keyOf(Number.MAX_SAFE_INTEGER + 1));
  assert.equal(keyOf('9999999999999999'), '9999999999999999');
  assert.equal(keyOf('42\n'), '42\n');
});

test('other_values_are_not_ids', () => {
  for (const v of [null, undefined, true, false, {}, [], [1], { id: 1 }, 1n, Symbol('x'), () => 1, new Number(1), new String('1')]) {
    assert.equal(keyOf(v), undefined, String(typeof v));
  }
});

test('interned_texts_get_stable_small_numbers', () => {
  const texts = new Texts();
  assert.equal(texts.number('conv_a', true), 0);
  assert.equal(texts.number('conv_b', true), 1);
  assert.equal(texts.number('conv_a', true), 0);
  assert.equal(texts.number('conv_a', false), 0);
  assert.equal(texts.number('conv_b', false), 1);
  assert.equal(texts.number('1.5', true), 2);
  // Another context's texts are its own.
  assert.equal(new Texts().number('conv_b', true), 0);
});

test('unknown_text_is_minus_one_and_not_interned', () => {
  const texts = new Texts();
  assert.equal(texts.number('never', false), -1);
  assert.equal(texts.number('never', false), -1);
  assert.equal(texts.number('first', true), 0);
  assert.equal(texts.number('never', true), 1);
  assert.equal(texts.number('never', false), 1);
});

// The words the core writes for an i64 key, as Rust's `(v as u32, (v >> 32) as u32)`.
const words = (v) => {
  const b = BigInt.asUintN(64, BigInt(v));
  return [Number(b & 0xffffffffn), Number(b >> 32n)];
};
const PRESENT = 1;
const TEXT = 2;
const STRING = 4;

test('words_split_like_rust', () => {
  assert.deepEqual(words(42), [42, 0]);
  assert.deepEqual(words(-7), [0xfffffff9, 0xffffffff]);
  assert.deepEqual(words(-5000000000), [3589934592, 0xfffffffe]);
});

test('original_rebuilds_every_form_of_id', () => {
  const texts = new Texts();
  // Integers given as numbers.
  for (const v of [0, 42, -7, 4294967296, 5000000000, -5000000000, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER]) {
    const [low, high] = words(v);
    assert.equal(texts.original(PRESENT, low, high), v, String(v));
  }
  // Integers given as their canonical text.
  for (const s of ['42', '-7', '0', '-5000000000', '999999999999999', '1234567890123456']) {
    const key = keyOf(s);
    assert.equal(typeof key, 'number');
    const [low, high] = words(key);
    assert.equal(texts.original(PRESENT | STRING, low, high), s, s);
  }
  // Text keys given as strings (including non-canonical integer text).
  for (const s of ['conv_9', '042', '-0', '', '9999999999999999']) {
    const key = keyOf(s);
    assert.equal(key, s);
    assert.equal(texts.original(PRESENT | TEXT | STRING, texts.number(key, true), 0), s, JSON.stringify(s));
  }
  // Text keys given as numbers (non-integral or unsafe).
  for (const n of [1.5, -0.25, 1e16, 1e21, Number.MAX_SAFE_INTEGER + 1]) {
    const key = keyOf(n);
    assert.equal(typeof key, 'string');
    assert.equal(texts.original(PRESENT | TEXT, texts.number(key, true), 0), n, String(n));
  }
});

test('original_without_the_present_bit_is_null', () => {
  const texts = new Texts();
  texts.number('conv_9', true);
  for (const bits of [0, TEXT, STRING, TEXT | STRING]) assert.equal(texts.original(bits, 0, 0), null, String(bits));
  const [low, high] = words(-7);
  assert.equal(texts.original(0, low, high), null);
});
