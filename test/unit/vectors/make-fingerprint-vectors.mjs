// Writes fingerprint vectors computed by @paralleldrive/cuid2's own createFingerprint.
// Columns: source (the reference's joined global names), entropy (32 base-36 chars), fingerprint.
//
// createFingerprint is not in the package's export map, so it is loaded from the file itself.
import { xorshift } from "./xorshift.mjs";
const { createFingerprint } = await import(
  new URL("./node_modules/@paralleldrive/cuid2/src/index.js", import.meta.url)
);

const digits = "0123456789abcdefghijklmnopqrstuvwxyz";
const { next, pick: pickFrom } = xorshift(0x2545f491);
const pick = (n) => pickFrom(digits, n);

const globalSets = [
  ["global", "process", "Buffer"],
  ["a"],
  ["host-1", "pid-4242", "ppid-1", "uid-999"],
  ["window", "document", "navigator", "location", "crypto"],
];
for (let i = 0; i < 40; i++) {
  const names = globalSets[i % globalSets.length].concat(i >= 4 ? [pick(8)] : []);
  const globalObj = Object.fromEntries(names.map((k) => [k, true]));
  const entropy = pick(32);
  let j = 0;
  const random = () => (digits.indexOf(entropy[j++]) + 0.5) / 36;
  const fingerprint = createFingerprint({ globalObj, random });
  if (j !== 32) throw new Error("createFingerprint drew an unexpected number of random values");
  process.stdout.write([Object.keys(globalObj).toString(), entropy, fingerprint].join("\t") + "\n");
}
