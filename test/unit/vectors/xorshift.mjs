// A small deterministic generator (xorshift32) for choosing test inputs: a failing case can be
// reproduced from its seed. Nothing here is meant to be random in the security sense.
export function xorshift(seed) {
  let state = seed >>> 0;
  const next = () => {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    return state;
  };
  const pick = (alphabet, n) => Array.from({ length: n }, () => alphabet[next() % alphabet.length]).join("");
  return { next, pick };
}
