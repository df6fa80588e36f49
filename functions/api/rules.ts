/** The `rules` route group: Zendesk's Triggers and Automations APIs (zendesk-api.md §5.3, §5.4). */
import { nowTimestamp } from '../../shared/domain/clock.ts';
import type { RuleKind } from '../../shared/domain/rules/condition-fields.ts';
import { triggerDefinitions } from '../../shared/domain/rules/rule-definitions.ts';
import type { RuleRecord } from '../../shared/domain/rules/rule-record.ts';
import {
  type ApiRequest,
  created,
  noContent,
  ok,
  type RouteImplementation,
} from '../../shared/http/api-request.ts';
import { pageEnvelope, pageRequestOf } from '../../shared/http/pagination.ts';
import { idParam, parseBody } from '../../shared/http/params.ts';
import { createRouteGroupHandler } from '../../shared/http/route-group.ts';
import {
  automationBody,
  automationOrderBody,
  triggerBody,
  triggerOrderBody,
} from '../../shared/http/schemas/rule-input.ts';
import { serializeRule } from '../../shared/http/serializers/rule.ts';
import { pageOfSorted } from '../../shared/store/sorted-pages.ts';
import {
  createRule,
  deleteRule,
  getLiveRule,
  listRules,
  reorderRules,
  updateRule,
} from '../../shared/use-cases/rules/manage-rules.ts';

const serializer = (request: ApiRequest) => (rule: RuleRecord) => serializeRule(rule, request.publicUrl);

const bodyOf = (kind: RuleKind, request: ApiRequest) =>
  kind === 'trigger'
    ? parseBody(request, triggerBody).trigger
    : parseBody(request, automationBody).automation;

const orderOf = (kind: RuleKind, request: ApiRequest) =>
  kind === 'trigger'
    ? parseBody(request, triggerOrderBody).trigger_ids
    : parseBody(request, automationOrderBody).automation_ids;

const routesOf = (kind: RuleKind): Record<string, RouteImplementation> => {
  const base = `/api/v2/${kind}s`;
  const list = (activeOnly: boolean) => async (request: ApiRequest) => {
    const rules = await listRules(kind, { activeOnly: activeOnly || request.query.get('active') === 'true' });
    return ok(
      pageEnvelope(request, `${kind}s`, pageOfSorted(rules, pageRequestOf(request)), serializer(request)),
    );
  };
  return {
    [`GET ${base}`]: list(false),
    [`GET ${base}/active`]: list(true),
    [`POST ${base}`]: async (request) =>
      created({ [kind]: serializer(request)(await createRule(kind, bodyOf(kind, request), nowTimestamp())) }),
    [`PUT ${base}/reorder`]: async (request) => {
      const rules = await reorderRules(kind, orderOf(kind, request), nowTimestamp());
      return ok({ [`${kind}s`]: rules.map(serializer(request)) });
    },
    [`GET ${base}/{id}`]: async (request) =>
      ok({ [kind]: serializer(request)(await getLiveRule(kind, idParam(request))) }),
    [`PUT ${base}/{id}`]: async (request) =>
      ok({
        [kind]: serializer(request)(
          await updateRule(kind, idParam(request), bodyOf(kind, request), nowTimestamp()),
        ),
      }),
    [`DELETE ${base}/{id}`]: async (request) => {
      await deleteRule(kind, idParam(request));
      return noContent();
    },
  };
};

export const handler = createRouteGroupHandler('rules', {
  ...routesOf('trigger'),
  ...routesOf('automation'),
  'GET /api/v2/triggers/definitions': async () => ok({ definitions: triggerDefinitions() }),
});
