import { migration001 } from './001-library.ts';
import { migration002 } from './002-search-log.ts';
import { migration003 } from './003-outbox.ts';
import { migration004 } from './004-leads.ts';
import { migration005 } from './005-presenting.ts';
import { migration006 } from './006-crm-cache.ts';
import { migration007 } from './007-meeting-ink.ts';
import { migration008 } from './008-blob-settled.ts';
import { migration009 } from './009-channel-highest-versions.ts';
import { migration010 } from './010-site-path-unique.ts';
import { migration011 } from './011-outbox-batches.ts';
import { migration012 } from './012-search-scope.ts';
import { migration013 } from './013-pitch-step-slide.ts';
import { migration014 } from './014-item-use.ts';
import { migration015 } from './015-lead-qualification.ts';
import { migration016 } from './016-outbox-source.ts';
import { migration017 } from './017-outbox-studio.ts';
import { migration018 } from './018-item-collections-by-item.ts';
import { migration019 } from './019-rehearse.ts';
import { migration020 } from './020-quizzes.ts';
import { migration021 } from './021-practice-review.ts';
import type { Migration } from './migration.ts';

/** Every migration, in order. Append only: a shipped migration is never edited. */
export const migrations: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
  migration013,
  migration014,
  migration015,
  migration016,
  migration017,
  migration018,
  migration019,
  migration020,
  migration021,
];

export const LATEST_SCHEMA_VERSION = migrations.length;
export type { Migration };
