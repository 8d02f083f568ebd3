/** What a track's learners and channels draw from: records tagged with the track, plus the untagged ones meant for everyone. */
export function forTrack<T extends { tracks: readonly string[] }>(items: readonly T[], trackId: string | null | undefined): T[] {
  return trackId ? items.filter((t) => t.tracks.length === 0 || t.tracks.includes(trackId)) : [...items];
}
