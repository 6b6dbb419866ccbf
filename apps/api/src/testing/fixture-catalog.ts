import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HEADER =
  'track_id,artists,album_name,track_name,popularity,duration_ms,explicit,danceability,energy,key,loudness,mode,speechiness,acousticness,instrumentalness,liveness,valence,tempo,time_signature,track_genre';
const AUDIO = '0.676,0.461,1,-6.746,0,0.143,0.0322,1.01e-06,0.358,0.715,87.917,4';

/**
 * Eleven songs in the Spotify Kaggle format (twelve rows: t4 is listed under two genres and
 * merges into one song). Popularity order: t1 90, t3 85, t2 80, t5 75, t11 72, t4 70, t7 65,
 * t6 60, t10 58, t9 55, t8 50.
 */
export const FIXTURE_CSV = [
  HEADER,
  `t1,Taylor Swift,Fearless,Love Story,90,235000,False,${AUDIO},pop`,
  `t2,Kendrick Lamar;Zacari,DAMN.,LOVE,80,213000,True,${AUDIO},hip-hop`,
  `t3,Billie Eilish;Khalid,lovely,Lovely,85,200000,False,${AUDIO},pop`,
  `t4,Beyoncé;JAY-Z,Dangerously In Love,Crazy In Love,70,236000,False,${AUDIO},r-n-b`,
  `t5,Beyoncé,I Am... Sasha Fierce,Halo,75,261000,False,${AUDIO},r-n-b`,
  `t6,The Beatles,Help!,Yesterday,60,125000,False,${AUDIO},rock`,
  `t7,Black Sabbath,Paranoid,Paranoid,65,168000,False,${AUDIO},metal`,
  `t8,Sigur Rós,Takk...,Hoppípolla,50,268000,False,${AUDIO},ambient`,
  `t9,Miles Davis,Kind Of Blue,So What,55,562000,False,${AUDIO},jazz`,
  `t10,The Dave Brubeck Quartet,Time Out,Take Five,58,324000,False,${AUDIO},jazz`,
  `t11,Train,"Save Me, San Francisco","Hey, Soul Sister",72,216000,False,${AUDIO},pop`,
  `t4,Beyoncé;JAY-Z,Dangerously In Love,Crazy In Love,70,236000,False,${AUDIO},pop`,
].join('\n');

/** A temporary directory holding `catalog.csv` (FIXTURE_CSV unless given); `remove()` deletes it. */
export function writeFixtureCatalog(csv: string = FIXTURE_CSV): { dir: string; path: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'encore-api-'));
  const path = join(dir, 'catalog.csv');
  writeFileSync(path, csv);
  return { dir, path, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
