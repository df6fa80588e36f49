/** View definitions in the config table, one item each under kind `view` (see config-records.ts). */
import { byPosition, type ViewRecord } from '../domain/views/view.ts';
import { configRecords } from './config-records.ts';

const views = configRecords<ViewRecord>('view');

export const allocateViewId = views.allocateId;
export const getView = views.get;
/** Every view, in display order. */
export const listAllViews = async (): Promise<ViewRecord[]> => (await views.listAll()).sort(byPosition);
/** Writes a new view, or `next` over `previous` unless someone changed it meanwhile. */
export const putView = views.put;
export const deleteView = views.remove;
