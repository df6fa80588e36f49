/**
 * Survey pages (CSAT and NPS): small HTML pages served to people following a survey link, without a
 * login. Every page shares one layout and the same response headers. Templates are Liquid with output
 * escaping on, so anything a person typed or a record holds is escaped wherever it is printed; only
 * the layout prints the page body `| raw`, and that body is itself a template rendered with escaping.
 */
import { Liquid } from 'liquidjs';

/**
 * No script, no framing, nothing cached (a token is in the URL and the page may show a comment), no
 * Referer leaving with the token, forms posting only to us.
 */
export const SURVEY_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
};

const engine = new Liquid({
  strictFilters: true,
  ownPropertyOnly: true,
  cache: true,
  outputEscape: 'escape',
});

const LAYOUT = engine.parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{ title }}</title>
<style>
body { font-family: sans-serif; font-size: 16px; line-height: 1.5; color: #2f3941; max-width: 36em; margin: 2em auto; padding: 0 1em; }
fieldset { border: 0; padding: 0; margin: 1em 0; }
label { display: block; margin: .25em 0; }
textarea, select { width: 100%; font: inherit; }
button { font: inherit; padding: .5em 1.5em; }
.notice { color: #68737d; }
</style>
</head>
<body>
<h1>{{ title }}</h1>
{{ body | raw }}
</body>
</html>
`);

export type SurveyPageData = Record<string, unknown>;

/**
 * Compiles a page body template once; the returned function renders the whole page. `title` is the
 * page's heading and `<title>`; every other variable is for the body template.
 */
export const surveyPage = (bodyTemplate: string) => {
  const body = engine.parse(bodyTemplate);
  return async (title: string, data: SurveyPageData = {}): Promise<string> =>
    String(
      await engine.render(LAYOUT, {
        title,
        body: String(await engine.render(body, { ...data, title })),
      }),
    );
};

/** A page that only tells the person something: refusals, thanks, "nothing to answer any more". */
export const messagePage = surveyPage(
  '<p>{{ message }}</p>{% if detail %}<p class="notice">{{ detail }}</p>{% endif %}',
);
