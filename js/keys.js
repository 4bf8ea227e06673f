// Ids as the wasm core keys them, so that no text crosses into wasm: a safe integer stays a
// number, canonical decimal text ("42", not "042" or "-0") becomes its number, and any other
// text is interned to a small integer. `123` and `"123"` are one id.

const CANONICAL = /^-?(?:0|[1-9]\d{0,15})$/;

/** The normal form of an id: a safe integer or other text; undefined when it is not an id. */
export function keyOf(id) {
  if (typeof id === 'number') return Number.isSafeInteger(id) ? id : Number.isFinite(id) ? String(id) : undefined;
  if (typeof id !== 'string') return undefined;
  if (!CANONICAL.test(id) || id === '-0') return id;
  const n = Number(id);
  return Number.isSafeInteger(n) ? n : id;
}

/** The text ids one context has interned. */
export class Texts {
  #numbers = new Map();
  #texts = [];

  /** The number of `text`; a new one if `intern`, else -1 when it was never interned. */
  number(text, intern) {
    let n = this.#numbers.get(text);
    if (n === undefined) {
      if (!intern) return -1;
      this.#numbers.set(text, (n = this.#texts.push(text) - 1));
    }
    return n;
  }

  /**
   * An id as first given, from the words the core wrote: `bits` (1 present, 2 interned text
   * key, 4 given as a string) and the key's low and high words.
   */
  original(bits, low, high) {
    if (!(bits & 1)) return null;
    if (bits & 2) return bits & 4 ? this.#texts[low] : Number(this.#texts[low]);
    const n = (high | 0) * 4294967296 + low;
    return bits & 4 ? String(n) : n;
  }
}
