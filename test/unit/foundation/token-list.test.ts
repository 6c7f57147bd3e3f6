import { describe, expect, it } from 'vitest';
import { parseTokenList } from '../../../src/config/token-list';
import { bearerToken, TokenAuthenticator } from '../../../src/auth/token.authenticator';

describe('parseTokenList', () => {
  it.each([
    ['', []],
    [
      's3cret:operator,r3ad:analyst',
      [
        ['s3cret', 'operator'],
        ['r3ad', 'analyst'],
      ],
    ],
    [
      ' s3cret:operator , r3ad:analyst ,',
      [
        ['s3cret', 'operator'],
        ['r3ad', 'analyst'],
      ],
    ],
    [
      '# comment\nabcd:operator\n\nefgh:analyst\n',
      [
        ['abcd', 'operator'],
        ['efgh', 'analyst'],
      ],
    ],
    ['a:b:c:d:analyst', [['a:b:c:d', 'analyst']]],
  ])('parses %j', (text, expected) => {
    expect([...parseTokenList(text)]).toEqual(expected);
  });

  it.each([
    ['abcd', /not of the form token:role/],
    [':operator', /not of the form token:role/],
    ['abcd:root', /unknown role "root"/],
    ['abc:operator', /shorter than 4/],
    ['abcd:operator,abcd:analyst', /listed twice/],
  ])('refuses %j', (text, message) => {
    expect(() => parseTokenList(text)).toThrow(message);
  });

  it('never prints a whole token in an error', () => {
    expect(() => parseTokenList('supersecretvalue:root')).toThrow(/"su…e:root"/);
  });
});

describe('TokenAuthenticator', () => {
  const authenticator = new TokenAuthenticator(parseTokenList('s3cret:operator,r3ad:analyst'));

  it.each([
    ['s3cret', 'operator'],
    ['r3ad', 'analyst'],
    ['s3cre', undefined],
    ['s3cret ', undefined],
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
