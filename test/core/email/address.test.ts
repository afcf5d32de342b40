import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { canonicalMailbox, maskEmail, normaliseEmail } from '../../../src/core/email/address.ts';

describe('normaliseEmail', () => {
  const valid: Array<[string, string]> = [
    ['alice@example.com', 'alice@example.com'],
    ['  alice@example.com \n', 'alice@example.com'],
    ['Alice.Smith@EXAMPLE.COM', 'Alice.Smith@example.com'],
    ['bob+tag@mail.example.co.uk', 'bob+tag@mail.example.co.uk'],
    ["o'hara!#$%&*/=?^_`{|}~-@example.org", "o'hara!#$%&*/=?^_`{|}~-@example.org"],
    ['bob@bücher.de', 'bob@xn--bcher-kva.de'],
    ['bob@BÜCHER.de', 'bob@xn--bcher-kva.de'],
    ['user@例子.测试', 'user@xn--fsqu00a.xn--0zwm56d'],
    ['a@x-y.example', 'a@x-y.example'],
    [`${'a'.repeat(64)}@example.com`, `${'a'.repeat(64)}@example.com`],
  ];
  for (const [input, expected] of valid) {
    test(`${JSON.stringify(input)} is valid as ${JSON.stringify(expected)}`, () => {
      assert.equal(normaliseEmail(input), expected);
    });
  }

  const longDomain = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(50)}.com`;
  const invalid: Array<[string, string]> = [
    ['', 'an empty string'],
    ['alice', 'no @'],
    ['alice@@example.com', 'two @ in a row'],
    ['alice@bob@example.com', 'two @'],
    ['alice@localhost', 'a domain without a dot'],
    ['@example.com', 'an empty local part'],
    ['alice@', 'an empty domain'],
    ['al ice@example.com', 'a space in the local part'],
    ['alice@exa mple.com', 'a space in the domain'],
    ['"alice smith"@example.com', 'a quoted local part'],
    ['.alice@example.com', 'a leading dot'],
    ['alice.@example.com', 'a trailing dot in the local part'],
    ['al..ice@example.com', 'two dots in a row'],
    ['alice@example..com', 'an empty domain label'],
    ['alice@example.com.', 'a trailing dot in the domain'],
    ['alice@-example.com', 'a label starting with a hyphen'],
    ['alice@example-.com', 'a label ending with a hyphen'],
    ['alice@exa_mple.com', 'an underscore in the domain'],
    ['alice@1.2.3.4', 'an IP address'],
    ['alice@[127.0.0.1]', 'an address literal'],
    ['ålice@example.com', 'a non-ASCII local part'],
    [`${'a'.repeat(65)}@example.com`, 'a local part over 64 characters'],
    [`alice@${'a'.repeat(64)}.com`, 'a domain label over 63 characters'],
    [`${'a'.repeat(64)}@${longDomain}`, 'an address over 254 characters'],
    ['alice@example.com\r\nBcc: x@example.com', 'a header injection'],
  ];
  for (const [input, why] of invalid) {
    test(`${why} is invalid`, () => {
      assert.equal(normaliseEmail(input), null);
    });
  }
});

describe('canonicalMailbox', () => {
  const mailbox = (input: string) => canonicalMailbox(normaliseEmail(input)!);
  const spellings: Array<[string, string[]]> = [
    ['victim@example.com', ['Victim@example.com', 'VICTIM@Example.COM', 'victim+x@example.com', 'Victim+News+2@example.com']],
    ['victim@gmail.com', ['v.ictim@gmail.com', 'V.I.C.T.I.M@GMAIL.COM', 'vic.tim+signup@gmail.com', 'victim@googlemail.com', 'Vic.Tim+1@GoogleMail.com']],
    ['bob@xn--bcher-kva.de', ['Bob@bücher.de', 'bob+tag@BÜCHER.de']],
  ];
  for (const [expected, inputs] of spellings) {
    test(`every spelling of ${expected} is that mailbox`, () => {
      for (const input of inputs) assert.equal(mailbox(input), expected, input);
    });
  }

  test('dots count outside Gmail', () => {
    assert.equal(mailbox('v.ictim@example.com'), 'v.ictim@example.com');
    assert.notEqual(mailbox('v.ictim@example.com'), mailbox('victim@example.com'));
    assert.equal(mailbox('v.ictim@gmail.com.evil.example'), 'v.ictim@gmail.com.evil.example');
  });

  test('a local part that starts with + keeps it', () => {
    assert.equal(mailbox('+Alerts@example.com'), '+alerts@example.com');
  });

  test('different mailboxes stay different', () => {
    assert.notEqual(mailbox('victim@example.com'), mailbox('victim@example.org'));
    assert.notEqual(mailbox('victim@gmail.com'), mailbox('victim2@gmail.com'));
  });
});

describe('maskEmail', () => {
  test('keeps the first and last character of the local part and the domain', () => {
    assert.equal(maskEmail('alice@example.com'), 'a***e@example.com');
  });

  test('short local parts keep only their first character', () => {
    assert.equal(maskEmail('al@example.com'), 'a***@example.com');
    assert.equal(maskEmail('a@example.com'), 'a***@example.com');
  });

  test('something that is not an address is hidden entirely', () => {
    assert.equal(maskEmail('alice'), '***');
    assert.equal(maskEmail('@example.com'), '***');
  });
});
