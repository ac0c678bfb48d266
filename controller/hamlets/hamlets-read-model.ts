/**
 * What other wings read of the hamlets: the repository implements it; services outside
 * hamlets/ depend on this interface, never on the repository.
 */
export interface Hamlet {
  id: string;
  name: string;
  households: number;
  population: number;
  lat: number | null;
  lon: number | null;
  /** Local "HH:MM"; both null: the commune's quiet hours apply. */
  quiet_start: string | null;
  quiet_end: string | null;
  created_at: string;
}

export interface HamletsReadModel {
  get(id: string): Hamlet | undefined;
  list(): Hamlet[];
  /** The ids among these that name no hamlet. */
  missing(ids: string[]): string[];
}
