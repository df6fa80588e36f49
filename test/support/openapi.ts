/**
 * Contract checks against Zendesk's own OpenAPI document (shared/reference/zendesk-support-oas.yaml):
 * `validateAgainst('UserResponse', body)` returns ajv's errors (empty when the value conforms).
 *
 * The document is OpenAPI 3.0: `nullable: true` is rewritten to a JSON-Schema type union, and every
 * component schema is registered so `$ref: '#/components/schemas/X'` resolves. Where the document is
 * known to be narrower than Zendesk's real responses, a caller may name extra nullable properties
 * (`{ nullable: { UserForAdmin: ['last_login_at'] } }`), so each such gap is explicit in the test.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import { parse } from 'yaml';

const OAS_PATH = fileURLToPath(
  new URL('../../../shared/reference/zendesk-support-oas.yaml', import.meta.url),
);
const FALLBACK_OAS_PATH = '/work/shared/reference/zendesk-support-oas.yaml';

type Schema = Record<string, unknown>;

let components: Record<string, Schema> | undefined;

const loadComponents = (): Record<string, Schema> => {
  if (components) return components;
  let text: string;
  try {
    text = readFileSync(OAS_PATH, 'utf8');
  } catch {
    text = readFileSync(FALLBACK_OAS_PATH, 'utf8');
  }
  // YAML 1.2 core schema: a bare `=` (trigger examples) is a string, which YAML 1.1 loaders reject.
  const document = parse(text, { uniqueKeys: false }) as {
    components: { schemas: Record<string, Schema> };
  };
  components = document.components.schemas;
  return components;
};

/** OpenAPI 3.0 → JSON Schema: `nullable: true` becomes `type: [T, 'null']` (or an anyOf with null). */
const convertNullable = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(convertNullable);
  if (node === null || typeof node !== 'object') return node;
  const schema: Schema = {};
  for (const [key, value] of Object.entries(node)) {
    // `example(s)` are free-form data, not schemas.
    schema[key] = key === 'example' || key === 'examples' ? value : convertNullable(value);
  }
  if (schema.nullable === true) {
    delete schema.nullable;
    if (typeof schema.type === 'string') schema.type = [schema.type, 'null'];
    else if (!schema.type) return { anyOf: [schema, { type: 'null' }] };
    if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum = [...schema.enum, null];
  }
  return schema;
};

const markNullable = (
  schemas: Record<string, Schema>,
  extra: Readonly<Record<string, readonly string[]>>,
): Record<string, Schema> => {
  const copy = structuredClone(schemas);
  for (const [schemaName, properties] of Object.entries(extra)) {
    const target = copy[schemaName]?.properties as Record<string, Schema> | undefined;
    if (!target) throw new Error(`No schema ${schemaName} with properties in the OpenAPI document`);
    for (const property of properties) {
      if (!target[property]) throw new Error(`${schemaName} has no property ${property}`);
      target[property] = { ...target[property], nullable: true };
    }
  }
  return copy;
};

const validators = new Map<string, ValidateFunction>();

/** Fields real Zendesk returns as null on an unassigned, ungrouped ticket, which its OpenAPI document omits. */
export const UNASSIGNED_TICKET_NULLS = [
  'assignee_id',
  'brand_id',
  'external_id',
  'forum_topic_id',
  'group_id',
  'organization_id',
  'problem_id',
  'recipient',
  'satisfaction_rating',
  'ticket_form_id',
  'type',
] as const;

export interface ValidateOptions {
  /** Properties Zendesk really returns as null although the document does not say so, per schema. */
  nullable?: Readonly<Record<string, readonly string[]>>;
}

const validatorFor = (schemaName: string, options: ValidateOptions): ValidateFunction => {
  const cacheKey = `${schemaName}|${JSON.stringify(options.nullable ?? {})}`;
  const cached = validators.get(cacheKey);
  if (cached) return cached;
  const schemas = markNullable(loadComponents(), options.nullable ?? {});
  if (!schemas[schemaName]) throw new Error(`No schema ${schemaName} in the OpenAPI document`);
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  // A CommonJS module: its plugin is also `.default` of itself, which works under NodeNext typing and at runtime.
  ajvFormats.default(ajv);
  // Zendesk's document writes `format: datetime` in places; accept it as date-time.
  ajv.addFormat('datetime', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addSchema({ components: { schemas: convertNullable(schemas) } }, 'oas');
  const validate = ajv.compile({ $ref: `oas#/components/schemas/${schemaName}` });
  validators.set(cacheKey, validate);
  return validate;
};

/** The ajv errors of `value` against `components.schemas[schemaName]`; empty when it conforms. */
export const validateAgainst = (
  schemaName: string,
  value: unknown,
  options: ValidateOptions = {},
): ErrorObject[] => {
  const validate = validatorFor(schemaName, options);
  return validate(value) ? [] : [...(validate.errors ?? [])];
};
