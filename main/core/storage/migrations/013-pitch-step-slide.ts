import type { Migration } from './migration.ts';

/**
 * The slide a pitch step shows, by identity (the presentation's slide id and a fingerprint of
 * its words, as JSON), so the step follows its slide when marketing reorders the deck. Steps
 * saved before have none and keep meaning their page number.
 */
export const migration013: Migration = {
  version: 13,
  name: 'pitch step slide',
  up(db) {
    db.exec(`ALTER TABLE pitch_steps ADD COLUMN slide TEXT CHECK (slide IS NULL OR json_valid(slide));`);
  },
};
