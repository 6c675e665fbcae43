import { Type, type Static } from '@sinclair/typebox';

/**
 * The `contacts` section of the config, beside the code it configures (as each source kind and the sinks keep
 * theirs): the address book, the lookup service, the sites and how numbers are named.
 */
export const ContactsSchema = Type.Object(
  {
    file: Type.Optional(
      Type.String({
        minLength: 1,
        description: 'address book: CSV (name, company, phone columns) or vCard (.vcf); re-read when it changes',
      }),
    ),
    defaultRegion: Type.Optional(
      Type.String({
        pattern: '^[A-Z]{2}$',
        description: 'ISO country for numbers written without a country code (030 1234567 in DE), e.g. DE',
      }),
    ),
    townLocale: Type.String({
      default: 'en',
      description:
        'language of the town names landline numbers get (en, de, fr, it, zh_Hant, …); English where it has none',
    }),
    sites: Type.Array(
      Type.Object(
        {
          prefix: Type.String({ pattern: '^\\d{1,7}$', description: 'internal numbers starting with these digits' }),
          name: Type.String({ minLength: 1, description: 'the site they are named after, e.g. Berlin office' }),
        },
        { additionalProperties: false },
      ),
      { default: [], description: 'internal number ranges named after their site (longest prefix wins)' },
    ),
    lookup: Type.Optional(
      Type.Object(
        {
          url: Type.String({
            pattern: '^https?://[^\\s]+$',
            description: 'a lookup service (a CRM) asked about numbers in batches; its JSON contract is under Contacts',
          }),
          token: Type.Optional(
            Type.String({ minLength: 1, description: 'inline secret; prefer the matching …File key' }),
          ),
          tokenFile: Type.Optional(Type.String({ description: "file holding the lookup service's token" })),
          authHeader: Type.String({
            pattern: '^[A-Za-z0-9-]+$',
            default: 'Authorization',
            description: 'header that carries the token, e.g. X-API-Key',
          }),
          authScheme: Type.String({
            default: 'Bearer',
            description: 'word before the token in the header; empty: the token alone',
          }),
          batchSize: Type.Integer({
            minimum: 1,
            maximum: 1000,
            default: 100,
            description: 'numbers asked per request',
          }),
          refreshSeconds: Type.Integer({
            minimum: 1,
            default: 900,
            description: 'answers still in use are asked again this often, the others forgotten (negative answers too)',
          }),
          timeoutSeconds: Type.Number({ minimum: 0.1, maximum: 60, default: 5, description: 'per request' }),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, default: {} },
);

export type ContactsConfig = Static<typeof ContactsSchema>;
