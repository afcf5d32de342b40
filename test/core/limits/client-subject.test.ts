import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clientSubject } from '../../../src/core/limits/client-subject.ts';

describe('clientSubject', () => {
  it('keeps an IPv4 address as it is', () => {
    assert.equal(clientSubject('203.0.113.7'), '203.0.113.7');
  });

  it('turns an IPv6 address into its /64 in canonical form', () => {
    assert.equal(clientSubject('2001:DB8:0001:0002:aaaa:bbbb:cccc:dddd'), '2001:db8:1:2::/64');
    assert.equal(clientSubject('2001:db8:1:2::1'), '2001:db8:1:2::/64');
    assert.equal(clientSubject('::1'), '::/64');
  });

  it('masks at any prefix length, including inside a group', () => {
    assert.equal(clientSubject('2001:db8:abcd:1234::1', { ipv6Subnet: 48 }), '2001:db8:abcd::/48');
    assert.equal(clientSubject('2001:db8:abcd:12ff::1', { ipv6Subnet: 56 }), '2001:db8:abcd:1200::/56');
    assert.equal(clientSubject('2001:db8:1:3::1', { ipv6Subnet: 63 }), '2001:db8:1:2::/63');
    assert.equal(clientSubject('2001:db8:0:0:0:0:0:1', { ipv6Subnet: 128 }), '2001:db8::1/128');
  });

  it('reads an IPv4-mapped IPv6 address as its IPv4 address, in either spelling', () => {
    assert.equal(clientSubject('::ffff:192.0.2.1'), '192.0.2.1');
    assert.equal(clientSubject('::FFFF:c000:201'), '192.0.2.1');
  });

  it('drops the zone of a link-local address', () => {
    assert.equal(clientSubject('fe80::1:2%eth0'), 'fe80::/64');
  });

  it('leaves what is not an IP address unchanged', () => {
    assert.equal(clientSubject('unknown'), 'unknown');
    assert.equal(clientSubject(''), '');
  });
});
