/** What other wings read of the bulletins (playlists, schedules, publishing): implemented by the repository. */
export const CATEGORIES = [
  'party_state_policy',
  'law',
  'commune_notice',
  'security_order',
  'disaster_prevention',
  'health',
  'agriculture',
  'good_deeds',
  'holidays',
  'mass_organisations',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];
export const BULLETIN_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'broadcast'] as const;
export type BulletinStatus = (typeof BULLETIN_STATUSES)[number];

export interface Bulletin {
  id: string;
  title: string;
  category: Category;
  text: string | null;
  recorded_media_id: string | null;
  voice: string | null;
  engine: string | null;
  speed: number;
  chime: number;
  repeat: number;
  status: BulletinStatus;
  reject_reason: string | null;
  media_id: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  submitted_at: string | null;
  decided_by: string | null;
  decided_at: string | null;
  last_broadcast_id: string | null;
  /** Published on the feed, page and webhooks once broadcast: 1 or 0 as chosen, null: yes unless a drill. */
  public: number | null;
}

export interface BulletinsReadModel {
  get(id: string): Bulletin | undefined;
}
