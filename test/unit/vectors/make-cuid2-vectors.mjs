// Writes CUID2 construction vectors, one per line, computed by @paralleldrive/cuid2 itself.
// Columns: letter, time_ms, salt, counter, fingerprint, length, expected id.
//
// The package draws the first letter and the salt from `random()` and the time from Date.now();
// we hand it a `random` that replays chosen characters and a fixed clock, so each vector is the
// package's own output for explicit inputs that the C++ construction takes as arguments.
import { init } from "@paralleldrive/cuid2";
import { xorshift } from "./xorshift.mjs";

const digits = "0123456789abcdefghijklmnopqrstuvwxyz";

const { next, pick } = xorshift(0x9e3779b9);

function referenceId({ letter, timeMs, salt, counter, fingerprint, length }) {
  // init() asks random() for the letter first, then one value per salt character.
  const draws = [(letter.charCodeAt(0) - 97 + 0.5) / 26, ...[...salt].map((c) => (digits.indexOf(c) + 0.5) / 36)];
  let i = 0;
  const random = () => {
    if (i >= draws.length) throw new Error("the package drew more random values than expected");
    return draws[i++];
  };
  const realNow = Date.now;
  Date.now = () => timeMs;
  try {
    const make = init({ random, counter: () => counter, length, fingerprint });
    const id = make();
    if (i !== draws.length) throw new Error("the package drew fewer random values than expected");
    return id;
  } finally {
    Date.now = realNow;
  }
}

const cases = [];
// Hand-picked edges: smallest and largest lengths, counter 0 and the counter's start bound,
// time 0 and a time far in the future, an empty fingerprint.
cases.push({ letter: "a", timeMs: 0, salt: "00", counter: 0, fingerprint: "", length: 2 });
cases.push({ letter: "z", timeMs: 1700000000000, salt: "z".repeat(32), counter: 476782366, fingerprint: "z".repeat(32), length: 32 });
cases.push({ letter: "m", timeMs: 253402300799999, salt: "0123456789abcdefghijklmn", counter: 9007199254740991, fingerprint: "0".repeat(32), length: 24 });
cases.push({ letter: "q", timeMs: 1763836800000, salt: "abcdefghijklmnop", counter: 12345, fingerprint: "k9x2m4pq7r1t8v3w6y0z5b2n4c6d8f0h", length: 16 });
// Every length from 2 to 32, several times each, with chosen inputs.
for (let round = 0; round < 8; round++) {
  for (let length = 2; length <= 32; length++) {
    cases.push({
      letter: pick("abcdefghijklmnopqrstuvwxyz", 1),
      timeMs: 1600000000000 + (next() % 400000000) * 1000 + (next() % 1000),
      salt: pick(digits, length),
      counter: next() % 476782367 + round,
      fingerprint: pick(digits, 32),
      length,
    });
  }
}

for (const c of cases) {
  const id = referenceId(c);
  process.stdout.write([c.letter, c.timeMs, c.salt, c.counter, c.fingerprint, c.length, id].join("\t") + "\n");
}
