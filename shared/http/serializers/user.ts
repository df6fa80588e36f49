/**
 * Users on the wire: Zendesk's UserObject (OAS components.schemas.UserForAdmin). Flags Relaydesk does
 * not model yet (shared, moderator, two-factor, photos) carry Zendesk's defaults.
 */
import { emailUndeliverable, type User } from '../../domain/directory/user.ts';

export const userUrl = (publicUrl: string, id: number): string => `${publicUrl}/api/v2/users/${id}.json`;

/** Zendesk's locale ids for the locales we ship; en-US is 1. */
const LOCALE_IDS: Readonly<Record<string, number>> = { 'en-US': 1 };

const ianaTimeZone = (timeZone: string): string => (timeZone === 'UTC' ? 'Etc/UTC' : timeZone);

export const serializeUser = (user: User, publicUrl: string): Record<string, unknown> => {
  const staff = user.role !== 'end-user';
  const undeliverable = emailUndeliverable(user);
  return {
    id: user.id,
    url: userUrl(publicUrl, user.id),
    name: user.name,
    email: user.email,
    role: user.role,
    role_type: null,
    custom_role_id: null,
    organization_id: user.organization_id,
    default_group_id: user.default_group_id,
    phone: user.phone,
    shared_phone_number: null,
    external_id: user.external_id,
    alias: user.alias,
    details: user.details ?? '',
    notes: user.notes ?? '',
    signature: user.signature,
    time_zone: user.time_zone,
    iana_time_zone: ianaTimeZone(user.time_zone),
    locale: user.locale,
    locale_id: LOCALE_IDS[user.locale] ?? 1,
    tags: user.tags,
    user_fields: user.user_fields,
    active: user.active,
    suspended: user.suspended,
    verified: user.verified,
    // Relaydesk extension: a bounce or complaint stopped mail to this user's email (their identity's
    // `undeliverable_count` in Zendesk terms).
    email_deliverable: !undeliverable,
    email_undeliverable_at: undeliverable ? (user.email_undeliverable?.at ?? null) : null,
    email_undeliverable_reason: undeliverable ? (user.email_undeliverable?.reason ?? null) : null,
    shared: false,
    shared_agent: false,
    moderator: false,
    only_private_comments: false,
    restricted_agent: !staff,
    ticket_restriction: staff ? null : 'requested',
    photo: null,
    two_factor_auth_enabled: false,
    report_csv: false,
    chat_only: false,
    last_login_at: null,
    created_at: user.created_at,
    updated_at: user.updated_at,
  };
};
