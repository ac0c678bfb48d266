/** What other wings read of the media library: implemented by the repository. */
export interface Media {
  id: string;
  title: string;
  status: 'processing' | 'ready' | 'failed';
  progress_pct: number;
  error_code: string | null;
  /** What the stored MP3 measures (ebur128=peak=true): integrated loudness, LUFS, and true peak, dBTP; null until ready. */
  loudness_lufs: number | null;
  true_peak_dbtp: number | null;
  /** Why it is not at the broadcast loudness (a catalogue key, e.g. media_warning_too_quiet), with the numbers for its words as JSON. */
  warning_code: string | null;
  warning_params: string | null;
  sha256: string | null;
  size_bytes: number | null;
  duration_ms: number | null;
  source_format: string | null;
  created_by: string;
  created_at: string;
  /** Where it came from: only uploads (and approved bulletins) are library items; the rest was made by the controller. */
  origin: MediaOrigin;
  /** The name of the file it was uploaded or fetched from (playlists imported from M3U find audio by it); null when made here. */
  file_name: string | null;
}

export const MEDIA_ORIGINS = ['upload', 'speech', 'playlist', 'drill', 'cap'] as const;
export type MediaOrigin = (typeof MEDIA_ORIGINS)[number];

export interface MediaReadModel {
  get(id: string): Media | undefined;
}
