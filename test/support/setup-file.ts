import { forbidScans } from '../../infra/local/scan-guard.ts';

forbidScans();
