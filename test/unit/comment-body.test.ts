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
      html_body:
        '<p>Hello <b>there</b><img src="https://example.test/x.png" onerror="steal()"></p><script>x()</script><a href="javascript:steal()">link</a>',
    });
    expect(bodies.html_body).toBe(
      '<p>Hello <b>there</b><img src="https://example.test/x.png"></p><a href>link</a>',
    );
    expect(bodies.plain_body).toBe('Hello there\n\nlink');
    expect(bodies.body).toBe(bodies.plain_body);
  });

  it('truncates bodies at 64 KB as Zendesk does', () => {
    const bodies = commentBodies({ body: 'é'.repeat(MAX_COMMENT_BYTES) });
    expect(Buffer.byteLength(bodies.body)).toBeLessThanOrEqual(MAX_COMMENT_BYTES);
  });
});
