/** What `npm start` prints once the runtime answers: where things are and how to call the API. */
export interface BannerInput {
  apiUrl: string;
  adminEmail: string;
  /** Present on first start only: the token is stored hashed and cannot be shown again. */
  adminToken: string | undefined;
  mailViewerUrl: string;
  /** `host:port` of the SMTP listener. */
  smtpAddress: string;
  supportAddress: string;
  dataDir: string;
}

export const formatBanner = ({
  apiUrl,
  adminEmail,
  adminToken,
  mailViewerUrl,
  smtpAddress,
  supportAddress,
  dataDir,
}: BannerInput): string => {
  const tokenLine = adminToken
    ? `  API token    ${adminToken}   (shown once; stored hashed)`
    : '  API token    shown on first start (create another with POST /api/v2/api_tokens)';
  const example =
    `node -e "require('node-zendesk').createClient({ username: '${adminEmail}', ` +
    `token: '${adminToken ?? '<your token>'}', endpointUri: '${apiUrl}' }).users.me().then(console.log)"`;
  return [
    '',
    'Relaydesk is running.',
    '',
    `  API          ${apiUrl}`,
    `  Admin        ${adminEmail}`,
    tokenLine,
    `  Mail viewer  ${mailViewerUrl}`,
    `  SMTP         ${smtpAddress} (mail to ${supportAddress})`,
    `  Data folder  ${dataDir}`,
    '',
    `  Try it:  ${example}`,
    '',
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
};
