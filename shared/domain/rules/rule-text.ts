/**
 * Liquid in rule texts (notification subjects and bodies, comments, webhook bodies). Templates come
 * from admins and are parsed at save time; user content only ever enters as render data, substituted
 * once. No filesystem: `include`/`render` find nothing, and limits stop runaway loops.
 */
import { Liquid } from 'liquidjs';

const LIMITS = { parseLimit: 100_000, renderLimit: 1_000, memoryLimit: 10_000_000 } as const;

/** Escapes a value for the inside of a JSON string, so placeholders cannot break a JSON body. */
const jsonStringContent = (value: unknown): string => JSON.stringify(String(value ?? '')).slice(1, -1);

const engine = (outputEscape?: 'escape' | ((value: unknown) => string)) =>
  new Liquid({
    ...LIMITS,
    strictVariables: false,
    strictFilters: true,
    ownPropertyOnly: true,
    templates: {},
    ...(outputEscape ? { outputEscape } : {}),
  });

/** How placeholder output is escaped: not at all (plain text), for HTML mail, or inside JSON strings. */
export type RuleTextEscape = 'none' | 'html' | 'json';

const engines: Record<RuleTextEscape, Liquid> = {
  none: engine(),
  html: engine('escape'),
  json: engine(jsonStringContent),
};

/** The parse error of a template, or undefined when it parses. */
export const ruleTextProblem = (template: string): string | undefined => {
  try {
    engines.none.parse(template);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
};

/**
 * Renders a rule text, escaping every output as `escaping` says (webhook bodies are JSON templates).
 * Unknown placeholders render empty.
 */
export const renderRuleText = (
  template: string,
  data: Record<string, unknown>,
  escaping: RuleTextEscape = 'none',
): string => engines[escaping].parseAndRenderSync(template, data);
