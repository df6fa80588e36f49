import { describe, expect, it } from 'vitest';
import { messagePage, SURVEY_PAGE_HEADERS, surveyPage } from '../../shared/domain/surveys/survey-page.ts';
import {
  type SurveyTokenClaims,
  signSurveyToken,
  verifySurveyToken,
} from '../../shared/domain/surveys/survey-token.ts';
import { renderSurveyMail } from '../../shared/mail/outbound/survey-mail.ts';

const SECRET = 'a-mail-secret-for-tests';
const NOW = 1_800_000_000;
const claims: SurveyTokenClaims = {
  kind: 'csat',
  subjectId: 42,
  userId: 7,
  occasionId: 42001,
  expiresAt: NOW + 3600,
};

const flipLast = (text: string) => `${text.slice(0, -1)}${text.endsWith('A') ? 'B' : 'A'}`;

describe('survey tokens', () => {
  const token = signSurveyToken(claims, SECRET);

  it('verify with the claims they were signed with, and are URL-safe and compact', () => {
    expect(verifySurveyToken(token, SECRET, NOW, { kind: 'csat', subjectId: 42 })).toEqual({
      valid: true,
      claims,
    });
    expect(token).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(token.length).toBeLessThan(80);
  });

  it.each([
    ['a tampered MAC', flipLast(token), 'forged'],
    [
      'claims rewritten for another ticket',
      `${Buffer.from('csat.43.7.42001.1800003600').toString('base64url')}.${token.split('.')[1]}`,
      'forged',
    ],
    ['a token signed with another key', signSurveyToken(claims, 'another-secret'), 'forged'],
    ['garbage', 'not-a-token', 'malformed'],
    ['an empty token', '', 'malformed'],
    ['an overlong token', 'a'.repeat(500), 'malformed'],
  ])('refuse %s', (_name, candidate, reason) => {
    expect(verifySurveyToken(candidate, SECRET, NOW, { kind: 'csat' })).toEqual({ valid: false, reason });
  });

  it('refuse a token at and after its expiry', () => {
    expect(verifySurveyToken(token, SECRET, NOW + 3600, { kind: 'csat' })).toEqual({
      valid: false,
      reason: 'expired',
    });
    expect(verifySurveyToken(token, SECRET, NOW + 3599, { kind: 'csat' }).valid).toBe(true);
  });

  it('refuse a valid token shown to another survey or for another ticket', () => {
    expect(verifySurveyToken(token, SECRET, NOW, { kind: 'nps' })).toEqual({
      valid: false,
      reason: 'other_survey',
    });
    expect(verifySurveyToken(token, SECRET, NOW, { kind: 'csat', subjectId: 41 })).toEqual({
      valid: false,
      reason: 'other_survey',
    });
  });

  it('differ per occasion, so a link from one solve cannot stand for another', () => {
    const other = signSurveyToken({ ...claims, occasionId: 42002 }, SECRET);
    expect(other).not.toBe(token);
    const verdict = verifySurveyToken(other, SECRET, NOW, { kind: 'csat' });
    expect(verdict.valid && verdict.claims.occasionId).toBe(42002);
  });

  it('cannot be signed over ids that are not positive integers', () => {
    expect(() => signSurveyToken({ ...claims, subjectId: 0 }, SECRET)).toThrow(RangeError);
    expect(() => signSurveyToken({ ...claims, occasionId: 1.5 }, SECRET)).toThrow(RangeError);
  });
});

describe('survey pages', () => {
  it('escape everything they print', async () => {
    const page = surveyPage('<p>{{ comment }}</p>');
    const html = await page('<b>Title</b>', { comment: '<script>alert(1)</script>' });
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('<title>&lt;b&gt;Title&lt;/b&gt;</title>');
    expect(html).not.toContain('<script>');
  });

  it('render messages, with headers that forbid scripts, framing and caching', async () => {
    const html = await messagePage('Thanks', { message: 'Recorded & kept' });
    expect(html).toContain('<p>Recorded &amp; kept</p>');
    expect(SURVEY_PAGE_HEADERS['Content-Security-Policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    );
    expect(SURVEY_PAGE_HEADERS['X-Frame-Options']).toBe('DENY');
    expect(SURVEY_PAGE_HEADERS['Cache-Control']).toBe('no-store');
  });
});

describe('survey mail', () => {
  it('lists one link per choice in both parts, escaped in HTML, and no unsubscribe unless given', async () => {
    const mail = await renderSurveyMail({
      subject: 'How did we do? "Printer <broken>"',
      intro: 'Your request "Printer <broken>" was solved.',
      question: 'How would you rate the support you received?',
      choices: [
        { label: 'Good', url: 'https://desk.example/surveys/csat/t?score=good&x=1' },
        { label: 'Bad', url: 'https://desk.example/surveys/csat/t?score=bad' },
      ],
    });
    expect(mail.text).toContain('Good: https://desk.example/surveys/csat/t?score=good&x=1');
    expect(mail.text).toContain('Printer <broken>');
    expect(mail.html).toContain('href="https://desk.example/surveys/csat/t?score=good&amp;x=1"');
    expect(mail.html).toContain('Printer &lt;broken&gt;');
    expect(mail.html).not.toContain('Stop receiving');
    const nps = await renderSurveyMail({
      subject: 's',
      intro: 'i',
      question: 'q',
      choices: [],
      unsubscribeUrl: 'https://desk.example/surveys/nps/unsubscribe/t',
    });
    expect(nps.text).toContain(
      'To stop receiving these surveys: https://desk.example/surveys/nps/unsubscribe/t',
    );
    expect(nps.html).toContain('Stop receiving these surveys');
  });
});
