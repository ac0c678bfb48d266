/** Does a CAP area cover a hamlet? Polygons and circles against its coordinates; geocodes by value. */
export interface Place {
  lat: number;
  lon: number;
}

/** "lat,lon lat,lon ..." [CAP 1.2, polygon]. */
export function parsePolygon(text: string): Place[] {
  return text
    .trim()
    .split(/\s+/)
    .map((pair) => {
      const [lat, lon] = pair.split(',').map(Number);
      return { lat, lon };
    })
    .filter((p) => Number.isFinite(p.lat) && Number.isFinite(p.lon));
}

/** Ray casting; a point on the edge may fall either way, which is fine at hamlet scale. */
export function insidePolygon(point: Place, polygon: Place[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i];
    const b = polygon[j];
    if (
      a.lat > point.lat !== b.lat > point.lat &&
      point.lon < ((b.lon - a.lon) * (point.lat - a.lat)) / (b.lat - a.lat) + a.lon
    )
      inside = !inside;
  }
  return inside;
}

/** "lat,lon radius_km" [CAP 1.2, circle]. */
export function insideCircle(point: Place, circle: string): boolean {
  const [centre, radius] = circle.trim().split(/\s+/);
  const [lat, lon] = (centre ?? '').split(',').map(Number);
  const km = Number(radius);
  if (![lat, lon, km].every(Number.isFinite)) return false;
  return distanceKm(point, { lat, lon }) <= km;
}

export function distanceKm(a: Place, b: Place): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}
