/** The `organizations` route group: Zendesk's Organizations API (zendesk-api.md §3). */

import { nowTimestamp } from '../../shared/domain/clock.ts';
import type { Organization } from '../../shared/domain/directory/organization.ts';
import { NotFoundError } from '../../shared/domain/errors.ts';
import { type ApiRequest, created, noContent, ok } from '../../shared/http/api-request.ts';
import { pageEnvelope, pageRequestOf } from '../../shared/http/pagination.ts';
import { idListParam, idParam, parseBody } from '../../shared/http/params.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import { organizationBody } from '../../shared/http/schemas/directory-input.ts';
import { serializeOrganization } from '../../shared/http/serializers/organization.ts';
import {
  findOrganizationByExternalId,
  getOrganization,
  getOrganizations,
  listOrganizations,
} from '../../shared/store/directory/organizations.ts';
import {
  createOrganization,
  deleteOrganization,
  updateOrganization,
} from '../../shared/use-cases/organizations/manage-organizations.ts';

const serializer = (request: ApiRequest) => (organization: Organization) =>
  serializeOrganization(organization, request.publicUrl);
const one = (request: ApiRequest, organization: Organization) => ({
  organization: serializer(request)(organization),
});

export const handler = createRouteGroupHandler('organizations', {
  'GET /api/v2/organizations': async (request) =>
    ok(
      pageEnvelope(
        request,
        'organizations',
        await listOrganizations(pageRequestOf(request)),
        serializer(request),
      ),
    ),

  'POST /api/v2/organizations': async (request) => {
    const { organization: input } = parseBody(request, organizationBody);
    const organization = await createOrganization({ ...input, name: input.name ?? '' }, nowTimestamp());
    return created(one(request, organization));
  },

  'GET /api/v2/organizations/show_many': async (request) => {
    const organizations = request.query.has('external_ids')
      ? (
          await Promise.all(
            (request.query.get('external_ids') ?? '')
              .split(',')
              .filter(Boolean)
              .slice(0, 100)
              .map((externalId) => findOrganizationByExternalId(externalId)),
          )
        )
          .filter((organization): organization is Organization => organization !== undefined)
          .sort((a, b) => a.id - b.id)
      : await getOrganizations(idListParam(request));
    return ok({ organizations: organizations.map(serializer(request)) });
  },

  'GET /api/v2/organizations/{id}': async (request) => {
    const organization = await getOrganization(idParam(request));
    if (!organization) throw new NotFoundError();
    return ok(one(request, organization));
  },

  'PUT /api/v2/organizations/{id}': async (request) => {
    const { organization: changes } = parseBody(request, organizationBody);
    return ok(one(request, await updateOrganization(idParam(request), changes, nowTimestamp())));
  },

  'DELETE /api/v2/organizations/{id}': async (request) => {
    await deleteOrganization(idParam(request), nowTimestamp());
    return noContent();
  },
});
