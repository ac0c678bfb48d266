/** What other wings read of the media library: implemented by the repository. */
export interface Media {
  id: string;
  title: string;
  status: 'processing' | 'ready' | 'failed';
  progress_pct: number;
  error_code: string | null;
  sha256: string | null;
  size_bytes: number | null;
  duration_ms: number | null;
  source_format: string | null;
  created_by: string;
  created_at: string;
  /** Where it came from: only uploads (and approved bulletins) are library items; the rest was made by the controller. */
  origin: MediaOrigin;
}

export const MEDIA_ORIGINS = ['upload', 'speech', 'playlist', 'drill', 'cap'] as const;
export type MediaOrigin = (typeof MEDIA_ORIGINS)[number];

export interface MediaReadModel {
  get(id: string): Media | undefined;
}
