import 'reflect-metadata';
import { Reflector } from '@nestjs/core';
import { Exclude, instanceToPlain, Transform, Type } from 'class-transformer';
import { describe, expect, it } from 'vitest';
import { FastSerializerInterceptor } from '../../../src/common/http/fast-serializer.interceptor';
import { HostEntity } from '../../../src/inventory/hosts/host.entity';

class Secretive {
  name = 'a';
  @Exclude({ toPlainOnly: true })
  secret = 's';
  @Exclude({ toClassOnly: true })
  kept = 'k';
}

class Shouting {
  @Transform(({ value }: { value: string }) => value.toUpperCase(), { toPlainOnly: true })
  word = 'quiet';
}

class Child extends Secretive {
  extra = 1;
}

class Holder {
  @Type(() => Secretive)
  inner = new Secretive();
}

function host(): HostEntity {
  return Object.assign(new HostEntity(), {
    id: '00000000-0000-4000-8000-000000000001',
    name: 'h1',
    libvirtUri: 'qemu+tcp://192.0.2.1/system',
    agentToken: 'agent-secret',
    agentEndpoint: null,
    agentLastSeenAt: new Date('2026-01-01T00:00:00Z'),
    createdAt: new Date('2026-01-01T00:00:00Z'),
  });
}

const serializer = new FastSerializerInterceptor(new Reflector());
const same = (value: Record<string, unknown> | Array<Record<string, unknown>>) =>
  expect(JSON.stringify(serializer.serialize(value, {}))).toBe(JSON.stringify(instanceToPlain(value)));

describe('FastSerializerInterceptor', () => {
  it('leaves out the agent token of hosts, in a page as class-transformer does', () => {
    const page = { items: [host(), host()], total: 2, page: 1, limit: 50 };
    same(page);
    expect(JSON.stringify(serializer.serialize(page, {}))).not.toContain('agent-secret');
  });

  it('matches class-transformer on excludes, inheritance, transforms, types, Maps, Sets and Dates', () => {
    same({ a: new Secretive(), b: new Child(), c: new Shouting(), d: new Holder() });
    same({ m: new Map([['x', { n: 1 }]]), s: new Set([1, 2]), when: new Date(0), nothing: null, list: [[new Child()]] });
    same([{ a: new Secretive() }, { b: new Shouting() }]);
    expect(serializer.serialize({ c: new Shouting() }, {})).toEqual({ c: { word: 'QUIET' } });
  });

  it('copies, so the response does not share objects with the entities', () => {
    const h = host();
    const out = serializer.serialize({ h }, {}) as { h: Record<string, unknown> };
    expect(out.h).not.toBe(h);
    expect(out.h.createdAt).toEqual(h.createdAt);
    expect(out.h).not.toHaveProperty('agentToken');
  });
});
