/** Agent groups (Tier 1, Tier 2, ...): tickets are routed to a group, then to an agent in it. */
export interface Group {
  id: number;
  name: string;
  description: string;
  default: boolean;
  is_public: boolean;
  /** Deleted groups keep their id (tickets may still name them) but drop out of lists. */
  deleted: boolean;
  created_at: string;
  updated_at: string;
  version: number;
}

export const buildGroup = (
  input: { name: string; description?: string; default?: boolean; is_public?: boolean },
  id: number,
  now: string,
): Group => ({
  id,
  name: input.name,
  description: input.description ?? '',
  default: input.default ?? false,
  is_public: input.is_public ?? true,
  deleted: false,
  created_at: now,
  updated_at: now,
  version: 1,
});
