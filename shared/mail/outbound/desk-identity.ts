/** How the desk names itself in the mail it sends: the display name and the link to a request. */

/** MAIL_FROM_NAME, the name our automatic mail is from. */
export const deskName = (): string => process.env.MAIL_FROM_NAME ?? 'Relaydesk Support';

/** The request's page in the help center, when PUBLIC_URL is configured. */
export const requestUrl = (ticketId: number): string | undefined => {
  const base = process.env.PUBLIC_URL?.replace(/\/+$/, '');
  return base ? `${base}/hc/requests/${ticketId}` : undefined;
};

export const domainOf = (address: string): string => address.slice(address.lastIndexOf('@') + 1);
