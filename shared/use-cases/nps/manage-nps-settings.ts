/** Reading and changing the account's NPS settings: a change is merged over what is stored. */
import { type NpsSettings, npsSettingsChangesSchema } from '../../domain/nps/nps-settings.ts';
import { getNpsSettings, putNpsSettings } from '../../store/nps/nps-settings.ts';

export const showNpsSettings = (): Promise<NpsSettings> => getNpsSettings();

export const updateNpsSettings = async (changes: unknown): Promise<NpsSettings> => {
  const parsed = npsSettingsChangesSchema.parse(changes);
  const next = { ...(await getNpsSettings()), ...parsed };
  await putNpsSettings(next);
  return next;
};
