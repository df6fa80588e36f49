/** NPS responses on the wire (our extension; shaped like Zendesk's satisfaction ratings). */
import { categoryOf } from '../../domain/nps/nps-score.ts';
import type { NpsResponse } from '../../store/nps/nps-responses.ts';

export const serializeNpsResponse = (response: NpsResponse, publicUrl: string) => ({
  id: response.id,
  url: `${publicUrl}/api/v2/nps/responses/${response.id}.json`,
  user_id: response.user_id,
  score: response.score,
  category: categoryOf(response.score),
  comment: response.comment,
  organization_id: response.organization_id,
  user_fields: response.user_fields,
  organization_fields: response.organization_fields,
  follow_up_ticket_id: response.follow_up_ticket_id,
  created_at: response.created_at,
  updated_at: response.updated_at,
});
