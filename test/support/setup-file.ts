import { inject } from 'vitest';
import { enforceFunctionGrants } from '../../infra/local/function-grants.ts';
import { forbidScans } from '../../infra/local/scan-guard.ts';
import { localQueueArn } from '../../infra/local/scheduler-local.ts';

forbidScans();
enforceFunctionGrants();

// One-time timers (SLA breach timers) go to the run's Scheduler API, as the local runtime's do.
process.env.AWS_ENDPOINT_URL_SCHEDULER ??= inject('schedulerEndpoint');
process.env.TIMER_SCHEDULE_GROUP ??= 'relaydesk-timers';
process.env.TIMER_TARGET_ARN ??= localQueueArn('check-sla-breach');
process.env.TIMER_ROLE_ARN ??= 'arn:aws:iam::local:role/relaydesk-scheduler';
