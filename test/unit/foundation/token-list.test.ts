import { describe, expect, it } from 'vitest';
import { parseTokenList } from '../../../src/config/token-list';
import { bearerToken, TokenAuthenticator } from '../../../src/auth/token.authenticator';

describe('parseTokenList', () => {
  it.each([
    ['', []],
    [
      's3cret-0123456789abc:operator,r3ad-0123456789abcd:analyst',
      [
        ['s3cret-0123456789abc', 'operator'],
        ['r3ad-0123456789abcd', 'analyst'],
      ],
    ],
    [
      ' s3cret-0123456789abc:operator , r3ad-0123456789abcd:analyst ,',
      [
        ['s3cret-0123456789abc', 'operator'],
        ['r3ad-0123456789abcd', 'analyst'],
      ],
    ],
    [
      '# comment\nabcd-0123456789ab:operator\n\nefgh-0123456789ab:analyst\n',
      [
        ['abcd-0123456789ab', 'operator'],
        ['efgh-0123456789ab', 'analyst'],
      ],
    ],
    ['a:b:c:d:0123456789ab:analyst', [['a:b:c:d:0123456789ab', 'analyst']]],
  ])('parses %j', (text, expected) => {
    expect([...parseTokenList(text)]).toEqual(expected);
  });

  it.each([
    ['abcd', /not of the form token:role/],
    [':operator', /not of the form token:role/],
    ['abcd:root', /unknown role "root"/],
    ['abc-0123456789:operator', /shorter than 16 characters/],
    // Issue 16: 4-character tokens were accepted.
    ['abcd:operator', /shorter than 16/],
    ['abcd-0123456789ab:operator,abcd-0123456789ab:analyst', /listed twice/],
  ])('refuses %j', (text, message) => {
    expect(() => parseTokenList(text)).toThrow(message);
  });

  it('never prints a whole token in an error', () => {
    expect(() => parseTokenList('supersecretvalue:root')).toThrow(/"su…e:root"/);
  });
});

describe('TokenAuthenticator', () => {
  const authenticator = new TokenAuthenticator(parseTokenList('s3cret-0123456789abc:operator,r3ad-0123456789abcd:analyst'));

  it.each([
    ['s3cret-0123456789abc', 'operator'],
    ['r3ad-0123456789abcd', 'analyst'],
    ['s3cret-0123456789ab', undefined],
    ['s3cret-0123456789abc ', undefined],
    ['', undefined],
  ])('maps %j to %j', (token, role) => {
    expect(authenticator.roleOf(token)).toBe(role);
  });

  it.each([
    ['Bearer abc', 'abc'],
    ['bearer  abc ', 'abc'],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    [undefined, undefined],
  ])('reads the bearer token from %j', (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });
});
