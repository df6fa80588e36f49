/**
 * The Liquid templates of the mail a public comment sends. They live in a TypeScript module rather than
 * .liquid files so that esbuild bundles them into the function (a file read at run time would not be
 * in the Lambda zip). Only these strings are ever template source; ticket and comment content is data.
 *
 * Variables: `marker`, `ticket` {id, subject}, `comment` {author_name, created_at, html_body,
 * plain_body}, `thread` (earlier public comments, newest first, same shape), `ticket_url` (optional).
 * `html_body` is stored sanitized (allow-listed HTML), so it alone is output `| raw`.
 */

export const COMMENT_MAIL_TEXT = `{{ marker }}

{{ comment.author_name }}, {{ comment.created_at }}

{{ comment.plain_body }}
{% if ticket_url %}
View request #{{ ticket.id }}: {{ ticket_url }}
{% endif %}{% for previous in thread %}
----------------------------------------------
{{ previous.author_name }}, {{ previous.created_at }}

{{ previous.plain_body }}
{% endfor %}`;

export const COMMENT_MAIL_HTML = `<!doctype html>
<html>
<head><meta charset="utf-8"><title>{{ ticket.subject }}</title></head>
<body style="font-family: sans-serif; font-size: 14px; line-height: 1.5; color: #2f3941;">
<div style="color: #b0b0b0;">{{ marker }}</div>
<div style="margin-top: 16px;">
<p style="margin: 0; font-weight: bold;">{{ comment.author_name }}</p>
<p style="margin: 0; color: #68737d; font-size: 12px;">{{ comment.created_at }}</p>
<div style="margin-top: 8px;">{{ comment.html_body | raw }}</div>
</div>
{% if ticket_url %}<p style="margin-top: 16px;"><a href="{{ ticket_url }}">View request #{{ ticket.id }}</a></p>{% endif %}
{% for previous in thread %}<div style="margin-top: 16px; padding-top: 8px; border-top: 1px solid #d8dcde; color: #68737d;">
<p style="margin: 0; font-weight: bold;">{{ previous.author_name }}</p>
<p style="margin: 0; font-size: 12px;">{{ previous.created_at }}</p>
<div style="margin-top: 8px;">{{ previous.html_body | raw }}</div>
</div>
{% endfor %}</body>
</html>
`;
