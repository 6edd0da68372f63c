// Signs IVS playback tokens with Node.js's own crypto (no JWT library), as an
// independent peer for interop tests and for the signing-speed comparison.
//
//   node node-sign.js PRIVATE_KEY_PEM CHANNEL_ARN EXP COUNT
//
// COUNT 1 prints one token. A larger COUNT signs that many tokens and prints
// "tokens/s: N" for one core.
'use strict';
const crypto = require('crypto');
const fs = require('fs');

const [keyPath, channelArn, exp, countArg] = process.argv.slice(2);
const key = crypto.createPrivateKey(fs.readFileSync(keyPath));
const count = Number(countArg || 1);
const b64 = (s) => Buffer.from(s).toString('base64url');
const header = b64(JSON.stringify({ alg: 'ES384', typ: 'JWT' }));

function sign() {
  const payload = b64(JSON.stringify({ 'aws:channel-arn': channelArn, exp: Number(exp) }));
  const input = header + '.' + payload;
  const sig = crypto.sign('sha384', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' });
  return input + '.' + sig.toString('base64url');
}

if (count === 1) {
  console.log(sign());
} else {
  sign(); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) sign();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log('tokens/s: ' + Math.round(count / seconds));
}
