/**
 * The HTML part of a rule notification (its text part is the rendered body itself). Like the comment
 * mail templates, a module rather than a .liquid file so esbuild bundles it. `body_html` is the
 * notification's plain text already escaped into paragraphs, so it alone is output `| raw`.
 *
 * Variables: `marker` (empty unless the recipient can reply onto the ticket), `subject`, `body_html`.
 */

export const NOTIFICATION_MAIL_HTML = `<!doctype html>
<html>
<head><meta charset="utf-8"><title>{{ subject }}</title></head>
<body style="font-family: sans-serif; font-size: 14px; line-height: 1.5; color: #2f3941;">
{% if marker %}<div style="color: #b0b0b0;">{{ marker }}</div>
{% endif %}<div style="margin-top: 16px;">{{ body_html | raw }}</div>
</body>
</html>
`;
