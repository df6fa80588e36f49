import { describe, expect, it } from 'vitest';
import { commentBodies, MAX_COMMENT_BYTES } from '../../shared/domain/tickets/comment-body.ts';

describe('comment bodies', () => {
  it('escapes a plain body instead of interpreting it as HTML', () => {
    const bodies = commentBodies({ body: 'Hi <script>alert(1)</script>\n\nThanks' });
    expect(bodies.html_body).not.toContain('<script>');
    expect(bodies.html_body).toContain('&lt;script&gt;');
    expect(bodies.plain_body).toBe('Hi <script>alert(1)</script>\n\nThanks');
  });

  it('sanitises html_body and derives the plain text from it', () => {
    const bodies = commentBodies({
      html_body: '<p>Hello <b>there</b><img src="x" onerror="steal()"></p><script>x()</script>',
    });
    expect(bodies.html_body).toBe('<p>Hello <b>there</b><img src="x" /></p>');
    expect(bodies.plain_body).toBe('Hello there');
    expect(bodies.body).toBe('Hello there');
  });

  it('truncates bodies at 64 KB as Zendesk does', () => {
    const bodies = commentBodies({ body: 'é'.repeat(MAX_COMMENT_BYTES) });
    expect(Buffer.byteLength(bodies.body)).toBeLessThanOrEqual(MAX_COMMENT_BYTES);
  });
});
