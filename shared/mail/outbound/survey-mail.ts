/**
 * Survey mail (CSAT after a solve, NPS on a cadence): a question and one signed link per answer.
 * Rendered with two Liquid engines as the comment mail is: the HTML one escapes every output, the text
 * one does not. CSAT is transactional (about the person's own request) and carries no unsubscribe;
 * NPS is not, and passes `unsubscribeUrl`, which adds the footer link and List-Unsubscribe.
 */
import { Liquid } from 'liquidjs';
import type { SurveyKind } from '../../domain/surveys/survey-token.ts';
import { supportAddress } from '../addresses.ts';
import { composeMail } from './compose-mail.ts';
import { deskName } from './desk-identity.ts';
import { headerText } from './header-text.ts';

export interface SurveyChoice {
  label: string;
  url: string;
}

export interface SurveyMailContent {
  subject: string;
  /** Plain text shown before the question (what the survey is about). */
  intro: string;
  question: string;
  choices: readonly SurveyChoice[];
  /** NPS only: where the person stops receiving surveys (footer link and List-Unsubscribe). */
  unsubscribeUrl?: string | undefined;
}

export interface SurveyMailEnvelope {
  to: string;
  messageId: string;
  date: Date;
}

const TEXT = `{{ intro }}

{{ question }}
{% for choice in choices %}
{{ choice.label }}: {{ choice.url }}{% endfor %}
{% if unsubscribe_url %}
To stop receiving these surveys: {{ unsubscribe_url }}
{% endif %}`;

const HTML = `<!doctype html>
<html>
<head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body style="font-family: sans-serif; font-size: 14px; line-height: 1.5; color: #2f3941;">
<p>{{ intro }}</p>
<p style="font-size: 16px;"><strong>{{ question }}</strong></p>
<p>{% for choice in choices %}<a href="{{ choice.url }}" style="display: inline-block; margin: 0 8px 8px 0; padding: 8px 20px; border: 1px solid #1f73b7; border-radius: 4px; color: #1f73b7; text-decoration: none;">{{ choice.label }}</a>{% endfor %}</p>
{% if unsubscribe_url %}<p style="color: #68737d; font-size: 12px;"><a href="{{ unsubscribe_url }}" style="color: #68737d;">Stop receiving these surveys</a></p>
{% endif %}</body>
</html>
`;

const options = { strictFilters: true, ownPropertyOnly: true, cache: true } as const;
const htmlEngine = new Liquid({ ...options, outputEscape: 'escape' });
const textEngine = new Liquid(options);
const htmlTemplate = htmlEngine.parse(HTML);
const textTemplate = textEngine.parse(TEXT);

export const renderSurveyMail = async (
  content: SurveyMailContent,
): Promise<{ subject: string; text: string; html: string }> => {
  const subject = headerText(content.subject, 250);
  const data = {
    subject,
    intro: content.intro,
    question: content.question,
    choices: content.choices.map((choice) => ({ label: choice.label, url: choice.url })),
    // Liquid treats '' as true: absent is false.
    unsubscribe_url: content.unsubscribeUrl ?? false,
  };
  const [text, html] = await Promise.all([
    textEngine.render(textTemplate, data),
    htmlEngine.render(htmlTemplate, data),
  ]);
  return { subject, text: String(text), html: String(html) };
};

/** The raw message, from the desk's support address, marked auto-generated (RFC 3834). */
export const composeSurveyMail = async (
  content: SurveyMailContent,
  envelope: SurveyMailEnvelope,
): Promise<Buffer> => {
  const rendered = await renderSurveyMail(content);
  const support = supportAddress();
  return composeMail({
    from: { name: deskName(), address: support },
    to: [envelope.to],
    replyTo: support,
    subject: rendered.subject,
    messageId: envelope.messageId,
    inReplyTo: undefined,
    references: [],
    text: rendered.text,
    html: rendered.html,
    date: envelope.date,
    automatic: 'auto-generated',
    listUnsubscribe: content.unsubscribeUrl,
  });
};

/**
 * The survey page a link opens: `{PUBLIC_URL}/surveys/{kind}/{token}` plus query parameters. Survey
 * mail cannot be sent without PUBLIC_URL (there would be nothing to link to), so its absence throws.
 */
export const surveyPageUrl = (
  kind: SurveyKind,
  token: string,
  query: Readonly<Record<string, string>> = {},
): string => {
  const base = process.env.PUBLIC_URL?.replace(/\/+$/, '');
  if (!base) throw new Error('PUBLIC_URL is not set: survey links have nowhere to point');
  const search = new URLSearchParams(query).toString();
  return `${base}/surveys/${kind}/${encodeURIComponent(token)}${search ? `?${search}` : ''}`;
};
