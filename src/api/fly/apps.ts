/** `/v1/apps`: Fly lists an organisation's apps; here every app that has a live machine (org_slug changes nothing). */
import type { OperationContext } from '../../context.js';
import { endpoint, type ApiApp } from '../endpoint.js';
import { appListQuerySchema } from './schemas.js';

export const appRoutes = (app: ApiApp, ctx: OperationContext): void =>
  endpoint(app, '/apps', {
    GET: {
      schema: { querystring: appListQuerySchema },
      handler: async () => {
        const counts = new Map<string, number>();
        for (const w of await ctx.backend.list('machine')) {
          if (w.intent !== 'terminated' && w.app !== null) counts.set(w.app, (counts.get(w.app) ?? 0) + 1);
        }
        const apps = [...counts]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([name, count]) => ({ id: name, name, machine_count: count, network: 'default' }));
        return { total_apps: apps.length, apps };
      },
    },
  });
