/**
 * End-to-end trigger latency on the local runtime: from `POST /api/v2/tickets` answering to the rule
 * audit being readable through the API. The path is the production one: stream → publisher → bus →
 * rules queue → apply-triggers → ticket write. Measured one ticket at a time, by polling the audits
 * every POLL_MS, so figures are rounded up to that granularity.
 */
import { localApi } from './local-api.ts';
import { type LatencySamples, latencySamples } from './stats.ts';

const POLL_MS = 10;
const GIVE_UP_MS = 30_000;
const TAG = 'bench-rule-latency';

export const measureRuleLatency = async (
  baseUrl: string,
  authorization: string,
  tickets: number,
): Promise<LatencySamples> => {
  const call = localApi(baseUrl, authorization);
  await call('POST', '/api/v2/triggers.json', {
    trigger: {
      title: 'Benchmark: tagged tickets are urgent',
      conditions: {
        all: [
          { field: 'update_type', operator: 'is', value: 'Create' },
          { field: 'current_tags', operator: 'includes', value: TAG },
        ],
      },
      actions: [{ field: 'priority', value: 'urgent' }],
    },
  });
  const samplesMs: number[] = [];
  for (let index = 0; index < tickets; index++) {
    const created = await call('POST', '/api/v2/tickets.json', {
      ticket: { subject: `Rule latency ${index}`, tags: [TAG], comment: { body: 'Measured.' } },
    });
    const started = performance.now();
    const id = (created.ticket as { id: number }).id;
    for (;;) {
      const { audits } = (await call('GET', `/api/v2/tickets/${id}/audits.json`)) as {
        audits: Array<{ via: { channel: string } }>;
      };
      if (audits.some((audit) => audit.via.channel === 'rule')) break;
      if (performance.now() - started > GIVE_UP_MS) throw new Error(`no rule audit on ticket ${id}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    samplesMs.push(performance.now() - started);
  }
  return latencySamples(samplesMs);
};
