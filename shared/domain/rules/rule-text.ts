/**
 * Liquid in rule texts (notification subjects and bodies, comments, webhook bodies). Templates come
 * from admins and are parsed at save time; user content only ever enters as render data, substituted
 * once. No filesystem: `include`/`render` find nothing, and limits stop runaway loops.
 */
import { Liquid } from 'liquidjs';

const LIMITS = { parseLimit: 100_000, renderLimit: 1_000, memoryLimit: 10_000_000 } as const;

const engine = (outputEscape?: 'escape') =>
  new Liquid({
    ...LIMITS,
    strictVariables: false,
    strictFilters: true,
    ownPropertyOnly: true,
    templates: {},
    ...(outputEscape ? { outputEscape } : {}),
  });

const textEngine = engine();
const htmlEngine = engine('escape');

/** The parse error of a template, or undefined when it parses. */
export const ruleTextProblem = (template: string): string | undefined => {
  try {
    textEngine.parse(template);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
};

/**
 * Renders a rule text; `html` escapes every output for HTML mail. Unknown placeholders render empty.
 */
export const renderRuleText = (
  template: string,
  data: Record<string, unknown>,
  options: { html: boolean } = { html: false },
): string => (options.html ? htmlEngine : textEngine).parseAndRenderSync(template, data);
