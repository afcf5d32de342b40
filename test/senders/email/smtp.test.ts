import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { smtpSender } from '../../../src/senders/email/index.ts';
import { SendError, type EmailMessage } from '../../../src/core/types.ts';
import { smtpReply, startSilentServer, startSmtpServer, unusedSmtpUrl } from '../../helpers/smtp-server.ts';

const message: EmailMessage = {
  to: 'alice@example.com',
  code: '482913',
  confirmUrl: 'https://verify.example.com/v1/email/confirm?token=tok_abc&lang=en',
  purpose: 'register',
  ttlSeconds: 600,
  linkTtlSeconds: 3600,
  locale: 'en',
};
const FROM = 'verifyd <no-reply@verify.example.com>';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});

async function server(options: Parameters<typeof startSmtpServer>[0] = {}) {
  const s = await startSmtpServer(options);
  cleanups.push(() => s.close());
  return s;
}

function sender(options: Omit<Parameters<typeof smtpSender>[0], 'from'> & { from?: string }) {
  const s = smtpSender({ from: FROM, ...options });
  cleanups.push(() => s.close());
  return s;
}

async function sendError(promise: Promise<unknown>): Promise<SendError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof SendError, `expected a SendError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the send to fail');
}

describe('smtpSender delivers', () => {
  test('the mail arrives with sender, recipient and subject, and both parts carry code, link and lifetimes', async () => {
    const smtp = await server();
    await sender({ url: smtp.url }).send(message);

    assert.equal(smtp.mails.length, 1);
    const [{ envelope, parsed }] = smtp.mails as [(typeof smtp.mails)[number]];
    assert.deepEqual(envelope, { from: 'no-reply@verify.example.com', to: ['alice@example.com'] });
    assert.equal(parsed.from?.value[0]?.address, 'no-reply@verify.example.com');
    assert.equal(parsed.from?.value[0]?.name, 'verifyd');
    assert.equal(Array.isArray(parsed.to) ? undefined : parsed.to?.value[0]?.address, 'alice@example.com');
    assert.equal(parsed.subject, 'Confirm your email address for verifyd');
    assert.equal(parsed.headers.get('auto-submitted'), 'auto-generated');

    const text = parsed.text ?? '';
    assert.match(text, /482913/);
    assert.ok(text.includes(message.confirmUrl));
    assert.ok(text.includes('The code expires in 10 minutes; the link in 1 hour.'));
    assert.ok(text.includes('If you did not ask for this'));

    const html = typeof parsed.html === 'string' ? parsed.html : '';
    assert.match(html, /<html lang="en">/);
    assert.match(html, />482913</);
    assert.ok(html.includes('href="https://verify.example.com/v1/email/confirm?token=tok_abc&amp;lang=en"'));
    assert.ok(html.includes('The code expires in 10 minutes; the link in 1 hour.'));
  });

  test('a zh-CN mail arrives in Chinese with the code, link and lifetimes in both parts', async () => {
    const smtp = await server();
    await sender({ url: smtp.url, brand: '示例' }).send({ ...message, locale: 'zh-CN', purpose: 'reset_password' });

    const parsed = smtp.mails[0]?.parsed;
    assert.equal(parsed?.subject, '重置你的 示例 密码');
    for (const part of [parsed?.text ?? '', typeof parsed?.html === 'string' ? parsed.html : '']) {
      assert.ok(part.includes('482913'));
      assert.ok(part.includes('验证码 10 分钟内有效，链接 1 小时内有效。'));
      assert.ok(part.includes('如果这不是你本人的操作'));
    }
    assert.ok(parsed?.text?.includes(message.confirmUrl));
    assert.ok(typeof parsed?.html === 'string' && parsed.html.includes('<html lang="zh-CN">'));
  });

  test('values interpolated into the HTML part arrive escaped', async () => {
    const smtp = await server();
    await sender({ url: smtp.url, brand: 'Acme <b>Shop</b> & "Co"' }).send(message);

    const parsed = smtp.mails[0]?.parsed;
    const html = typeof parsed?.html === 'string' ? parsed.html : '';
    assert.ok(html.includes('Acme &lt;b&gt;Shop&lt;/b&gt; &amp; &quot;Co&quot;'));
    assert.ok(!html.includes('<b>Shop</b>'));
    assert.equal(parsed?.subject, 'Confirm your email address for Acme <b>Shop</b> & "Co"');
  });

  test('an upper-case domain is sent lower-cased, the local part as given', async () => {
    const smtp = await server();
    await sender({ url: smtp.url }).send({ ...message, to: 'Alice.Smith@EXAMPLE.com' });
    assert.deepEqual(smtp.mails[0]?.envelope.to, ['Alice.Smith@example.com']);
  });
});

describe('smtpSender maps failures to SendError kinds', () => {
  test('a recipient refused with 550 is invalid_recipient, and the error hides the address and the code', async () => {
    const smtp = await server({
      onRcptTo(address, _session, callback) {
        callback(smtpReply(550, `Mailbox <${address.address}> unavailable`));
      },
    });
    const err = await sendError(sender({ url: smtp.url }).send(message));
    assert.equal(err.kind, 'invalid_recipient');
    assert.equal(err.providerCode, '550');
    assert.ok(err.message.includes('a***e@example.com'), err.message);
    assert.ok(!err.message.includes('alice@example.com'), err.message);
    assert.ok(!err.message.includes(message.code));
    assert.equal(err.cause, undefined);
  });

  test('a 451 reply is retryable', async () => {
    const smtp = await server({
      onRcptTo(_address, _session, callback) {
        callback(smtpReply(451, 'Try again later'));
      },
    });
    const err = await sendError(sender({ url: smtp.url }).send(message));
    assert.equal(err.kind, 'retryable');
    assert.equal(err.providerCode, '451');
    assert.equal(smtp.connections, 1);
  });

  test('a failed login (535) is a config error', async () => {
    const smtp = await server({
      authOptional: false,
      allowInsecureAuth: true,
      onAuth(_auth, _session, callback) {
        callback(smtpReply(535, 'Authentication credentials invalid'));
      },
    });
    const url = smtp.url.replace('smtp://', 'smtp://mailer:wrong-password@');
    const err = await sendError(sender({ url }).send(message));
    assert.equal(err.kind, 'config');
    assert.equal(err.providerCode, '535');
    assert.ok(!err.message.includes('wrong-password'));
  });

  test('a sender address refused with 553 is a config error, not the recipient\'s fault', async () => {
    const smtp = await server({
      onMailFrom(_address, _session, callback) {
        callback(smtpReply(553, 'Sender address rejected: not owned by user'));
      },
    });
    const err = await sendError(sender({ url: smtp.url }).send(message));
    assert.equal(err.kind, 'config');
  });

  test('a message refused after DATA with 554 is rejected', async () => {
    const smtp = await server({
      onData(stream, _session, callback) {
        stream.on('end', () => callback(smtpReply(554, 'Message looks like spam')));
        stream.resume();
      },
    });
    const err = await sendError(sender({ url: smtp.url }).send(message));
    assert.equal(err.kind, 'rejected');
    assert.equal(err.providerCode, '554');
  });

  test('a server that takes the message and never answers is a timeout, since it may have accepted it', async () => {
    const smtp = await server({
      onData(stream) {
        stream.resume();
      },
    });
    const err = await sendError(sender({ url: smtp.url, timeoutMs: 300 }).send(message));
    assert.equal(err.kind, 'timeout');
  });

  test('a server that never sends its greeting is retryable: nothing was sent', async () => {
    const silent = await startSilentServer();
    cleanups.push(() => silent.close());
    const err = await sendError(sender({ url: silent.url, timeoutMs: 200 }).send(message));
    assert.equal(err.kind, 'retryable');
    assert.equal(err.providerCode, 'ETIMEDOUT');
  });

  test('nothing listening is retryable', async () => {
    const err = await sendError(sender({ url: await unusedSmtpUrl() }).send(message));
    assert.equal(err.kind, 'retryable');
    assert.equal(err.providerCode, 'ECONNREFUSED');
  });

  test('an invalid recipient address is refused without connecting', async () => {
    const smtp = await server();
    const err = await sendError(sender({ url: smtp.url }).send({ ...message, to: 'alice@@example.com' }));
    assert.equal(err.kind, 'invalid_recipient');
    assert.equal(smtp.connections, 0);
  });

  test('a confirm link that is not http(s) is a config error and nothing is sent', async () => {
    const smtp = await server();
    const err = await sendError(sender({ url: smtp.url }).send({ ...message, confirmUrl: 'javascript:alert(1)' }));
    assert.equal(err.kind, 'config');
    assert.equal(smtp.connections, 0);
  });

  test('the factory refuses a URL that is not smtp:// or smtps://', () => {
    assert.throws(() => smtpSender({ url: 'http://mail.example.com', from: FROM }), { name: 'SendError', kind: 'config' });
    assert.throws(() => smtpSender({ url: 'smtp://127.0.0.1:25', from: ' ' }), { name: 'SendError', kind: 'config' });
  });
});
