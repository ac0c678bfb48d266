/**
 * Schema migrations, applied in order; PRAGMA user_version records how many ran.
 * One file per migration under migrations/. Never edit a migration that has shipped: add a new
 * one (tests/unit/db/migrations-pinned.test.ts fails when a shipped migration's SQL changes).
 * Instants are ISO 8601 UTC text; wall times (schedules) will carry their zone beside them.
 */
import initial from './migrations/001-initial.js';
import programme from './migrations/002-programme.js';
import publishing from './migrations/003-publishing.js';
import receiverMemory from './migrations/004-receiver-memory.js';
import capConfirmation from './migrations/005-cap-confirmation.js';
import proof from './migrations/006-proof.js';
import originsAndAnswers from './migrations/007-origins-and-answers.js';
import socialPosts from './migrations/008-social-posts.js';
import communeAbbreviations from './migrations/009-commune-abbreviations.js';
import mediaFileNameAndPlaylistBulletins from './migrations/010-media-file-name-and-playlist-bulletins.js';
import mediaLoudness from './migrations/011-media-loudness.js';
import ackEvidence from './migrations/012-ack-evidence.js';
import stopAllIndex from './migrations/013-stop-all-index.js';
import rollupCutOff from './migrations/014-rollup-cut-off.js';
import statusInferred from './migrations/015-status-inferred.js';
import controllerAlive from './migrations/016-controller-alive.js';
import broadcastStopsIndex from './migrations/017-broadcast-stops-index.js';

export const migrations: string[] = [
  initial,
  programme,
  publishing,
  receiverMemory,
  capConfirmation,
  proof,
  originsAndAnswers,
  socialPosts,
  communeAbbreviations,
  mediaFileNameAndPlaylistBulletins,
  mediaLoudness,
  ackEvidence,
  stopAllIndex,
  rollupCutOff,
  statusInferred,
  controllerAlive,
  broadcastStopsIndex,
];
