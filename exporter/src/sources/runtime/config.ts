import { Type, type Static, type TLiteral, type TObject, type TOptional, type TProperties, type TString } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const SourceName = Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_.-]+$', description: 'the `pbx` label' });

/** The schema of one kind's `sources` entry: `name`, `kind` and the kind's own keys; any other key is an error. */
export function sourceSchema<K extends string, P extends TProperties>(kind: K, properties: P): TObject<{ name: TString; kind: TLiteral<K> } & P> {
  return Type.Object({ name: SourceName, kind: Type.Literal(kind, { description: 'the source kind' }), ...properties }, { additionalProperties: false });
}

/** Marks a key made by `secretKeys`: config loading reads its `…File` twin into it and checks that one is given. */
export const SECRET = 'x-switchboard-secret';

export interface SecretOptions {
  /** false: the source can run without it */
  required?: boolean;
}

/**
 * A secret as two keys: `key` inline, and `keyFile` naming a file that holds it (read at load time; giving both is an
 * error). `description` says what the secret is.
 */
export function secretKeys<K extends string>(
  key: K,
  description: string,
  { required = true }: SecretOptions = {},
): { [P in K]: TOptional<TString> } & { [P in `${K}File`]: TOptional<TString> } {
  return {
    [key]: Type.Optional(
      Type.String({ description: `${description}, inline; prefer \`${key}File\`${required ? '; one of the two is required' : ''}`, [SECRET]: { required } }),
    ),
    [`${key}File`]: Type.Optional(Type.String({ description: `file holding the ${description}` })),
  } as { [P in K]: TOptional<TString> } & { [P in `${K}File`]: TOptional<TString> };
}

/** A config entry with the schema's defaults filled in: for sources built in code (the demo, tests, benchmarks). */
export function withDefaults<S extends TObject>(schema: S, entry: Partial<Static<S>> & { name: string }): Static<S> {
  return Value.Default(schema, structuredClone(entry)) as Static<S>;
}
