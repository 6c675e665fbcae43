import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** A plain JSON-schema enum: one clear "must be one of …" error and a tidy OpenAPI entry (unlike anyOf/const). */
export const StringEnum = <T extends readonly string[]>(values: T, opts: Record<string, unknown> = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...opts });

/**
 * `type: [x, 'null']` rather than anyOf: fast-json-stringify serialises a type list directly but decides an anyOf by
 * running the validator on every value, which made large responses several times slower.
 */
export const Nullable = <T extends TSchema>(t: T) => {
  if (typeof t.type !== 'string') throw new Error('Nullable needs a schema with a single type');
  const schema: Record<string, unknown> = { ...t, type: [t.type, 'null'] };
  if (Array.isArray(t.enum)) schema.enum = [...(t.enum as unknown[]), null];
  return Type.Unsafe<Static<T> | null>(schema);
};

/** A list response: `{ items: [...] }`, so a list can gain paging fields without breaking clients. */
export const Items = <T extends TSchema>(item: T) => Type.Object({ items: Type.Array(item) });

/** Query strings name every parameter they take: an unknown one is a mistake worth a 400. */
export const Closed = { additionalProperties: false } as const;
