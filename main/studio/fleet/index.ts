import type { Routes } from '../context.ts';
import { deviceRoutes } from './device-routes.ts';
import { dashboardRoutes } from './dashboard-routes.ts';
import { enrolPageRoutes } from './enrol-page.ts';
import { fleetAdminRoutes } from './routes.ts';

/** The fleet: devices enrol, send their records and read their feed; people manage and look. */
export const fleetRoutes: Routes = { ...deviceRoutes, ...enrolPageRoutes, ...fleetAdminRoutes, ...dashboardRoutes };
