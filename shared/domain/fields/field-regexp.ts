/**
 * Regular expressions of regexp fields. Zendesk's are Ruby regexps, so the anchors `\A`, `\z` and `\Z`
 * are read as `^` and `$`. Patterns run against customer input inside the API, so a definition whose
 * pattern could backtrack catastrophically (a quantified group that itself holds a quantifier) is
 * refused at save time, and values are length-capped before matching.
 */
export const MAX_PATTERN_LENGTH = 500;
export const MAX_MATCHED_VALUE_LENGTH = 1024;

const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]/;

export type CompiledRegexp = { ok: true; regexp: RegExp } | { ok: false; problem: string };

export const compileFieldRegexp = (pattern: string): CompiledRegexp => {
  if (pattern.length > MAX_PATTERN_LENGTH)
    return { ok: false, problem: `is longer than ${MAX_PATTERN_LENGTH} characters` };
  if (NESTED_QUANTIFIER.test(pattern)) {
    return {
      ok: false,
      problem: 'nests a quantifier inside a quantified group, which can take exponential time',
    };
  }
  try {
    return { ok: true, regexp: new RegExp(pattern.replace(/\\A/g, '^').replace(/\\[zZ]/g, '$'), 'u') };
  } catch (error) {
    return { ok: false, problem: `does not compile (${(error as Error).message})` };
  }
};
