import type { Db } from './db.js';
import { createDeliveriesStore } from './deliveries.js';
import { createEnrolmentsStore } from './enrolments.js';
import { createSubscriptionsStore } from './subscriptions.js';
import { createPointsStore } from './points.js';
import { createQuizStore } from './quiz.js';
import { createUsersStore } from './users.js';
import { createWorkspacesStore } from './workspaces.js';

export interface Stores {
  db: Db;
  /**
   * Runs `work` as one IMMEDIATE transaction: a request's writes land together or not at all, so a
   * retry after SQLITE_BUSY starts from where the request started. `work` must be synchronous.
   */
  atomically<T>(work: () => T): T;
  users: ReturnType<typeof createUsersStore>;
  enrolments: ReturnType<typeof createEnrolmentsStore>;
  subscriptions: ReturnType<typeof createSubscriptionsStore>;
  deliveries: ReturnType<typeof createDeliveriesStore>;
  quiz: ReturnType<typeof createQuizStore>;
  points: ReturnType<typeof createPointsStore>;
  workspaces: ReturnType<typeof createWorkspacesStore>;
}

export function createStores(db: Db): Stores {
  return {
    db,
    atomically: (work) => db.transaction(work).immediate(),
    users: createUsersStore(db),
    enrolments: createEnrolmentsStore(db),
    subscriptions: createSubscriptionsStore(db),
    deliveries: createDeliveriesStore(db),
    quiz: createQuizStore(db),
    points: createPointsStore(db),
    workspaces: createWorkspacesStore(db),
  };
}
