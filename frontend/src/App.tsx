import { matchPath, Route, Routes } from 'react-router';
import type { ApiClient } from './api/client';
import { RequireAuth, RequireManager } from './auth/guards';
import { Layout } from './components/Layout';
import { lazyPage } from './components/lazyPage';
import { prepareTimeZone } from './lib/time';
import { HomePage } from './pages/HomePage';
import { LoginPage } from './pages/LoginPage';
import { ForbiddenPage, NotFoundPage } from './pages/StatusPages';
import { pageTimeZone, prefetchErrorReportPage, type ErrorReportPage } from './pages/errorreports/requests';
import { RESOURCES } from './pages/resources/definitions';

// Pages past the first screen load on demand, one chunk per area.
const ProfilePage = lazyPage(() => import('./pages/ProfilePage').then((m) => m.ProfilePage));
const DocsPage = lazyPage(() => import('./pages/DocsPage').then((m) => m.DocsPage));
const UsersPage = lazyPage(() => import('./pages/users/UsersPage').then((m) => m.UsersPage));
const UserCreatePage = lazyPage(() => import('./pages/users/UserForms').then((m) => m.UserCreatePage));
const UserEditPage = lazyPage(() => import('./pages/users/UserForms').then((m) => m.UserEditPage));
const ResourceListPage = lazyPage(() => import('./pages/resources/ResourcePages').then((m) => m.ResourceListPage));
const ResourceDetailPage = lazyPage(() => import('./pages/resources/ResourcePages').then((m) => m.ResourceDetailPage));
const ErrorReportListPage = lazyPage(() =>
  import('./pages/errorreports/ErrorReportListPage').then((m) => m.ErrorReportListPage),
);
const ErrorReportDetailPage = lazyPage(() =>
  import('./pages/errorreports/ErrorReportDetailPage').then((m) => m.ErrorReportDetailPage),
);
const ParetoPage = lazyPage(() => import('./pages/errorreports/ParetoPage').then((m) => m.ParetoPage));
const HarvesterListPage = lazyPage(() => import('./pages/harvesters/HarvesterPages').then((m) => m.HarvesterListPage));
const HarvesterDetailPage = lazyPage(() =>
  import('./pages/harvesters/HarvesterPages').then((m) => m.HarvesterDetailPage),
);
const HarvesterHistoryPage = lazyPage(() =>
  import('./pages/harvesters/HarvesterPages').then((m) => m.HarvesterHistoryPage),
);
const LocationListPage = lazyPage(() => import('./pages/fleet/FleetPages').then((m) => m.LocationListPage));
const DistributorListPage = lazyPage(() => import('./pages/fleet/FleetPages').then((m) => m.DistributorListPage));
const EventListPage = lazyPage(() => import('./pages/events/EventPages').then((m) => m.EventListPage));
const EventDetailPage = lazyPage(() => import('./pages/events/EventPages').then((m) => m.EventDetailPage));
const NotificationsPage = lazyPage(() =>
  import('./pages/notifications/NotificationPages').then((m) => m.NotificationsPage),
);
const NotificationDetailPage = lazyPage(() =>
  import('./pages/notifications/NotificationPages').then((m) => m.NotificationDetailPage),
);
const S3FileListPage = lazyPage(() => import('./pages/s3files/S3FilePages').then((m) => m.S3FileListPage));
const S3FileDetailPage = lazyPage(() => import('./pages/s3files/S3FilePages').then((m) => m.S3FileDetailPage));
const FailedIngestListPage = lazyPage(() =>
  import('./pages/failedingests/FailedIngestPages').then((m) => m.FailedIngestListPage),
);
const FailedIngestDetailPage = lazyPage(() =>
  import('./pages/failedingests/FailedIngestPages').then((m) => m.FailedIngestDetailPage),
);
const VersionListPage = lazyPage(() => import('./pages/versions/VersionPages').then((m) => m.VersionListPage));
const VersionDetailPage = lazyPage(() => import('./pages/versions/VersionPages').then((m) => m.VersionDetailPage));
const HarvesterVersionsPage = lazyPage(() => import('./pages/versions/VersionPages').then((m) => m.HarvesterVersionsPage));
const AutodiagnosticsListPage = lazyPage(() =>
  import('./pages/autodiagnostics/AutodiagnosticsPages').then((m) => m.AutodiagnosticsListPage),
);
const AutodiagnosticsDetailPage = lazyPage(() =>
  import('./pages/autodiagnostics/AutodiagnosticsPages').then((m) => m.AutodiagnosticsDetailPage),
);
const GripReportListPage = lazyPage(() => import('./pages/gripreports/GripReportPages').then((m) => m.GripReportListPage));
const GripReportDetailPage = lazyPage(() => import('./pages/gripreports/GripReportPages').then((m) => m.GripReportDetailPage));
const ConfigListPage = lazyPage(() => import('./pages/configs/ConfigPages').then((m) => m.ConfigListPage));
const ConfigDetailPage = lazyPage(() => import('./pages/configs/ConfigPages').then((m) => m.ConfigDetailPage));
const ConfigComparePage = lazyPage(() => import('./pages/configs/ConfigPages').then((m) => m.ConfigComparePage));
const JobResultListPage = lazyPage(() => import('./pages/jobresults/JobResultPages').then((m) => m.JobResultListPage));
const JobResultDetailPage = lazyPage(() => import('./pages/jobresults/JobResultPages').then((m) => m.JobResultDetailPage));
const AssetReportListPage = lazyPage(() => import('./pages/assets/AssetPages').then((m) => m.AssetReportListPage));
const AssetReportDetailPage = lazyPage(() => import('./pages/assets/AssetPages').then((m) => m.AssetReportDetailPage));
const AssetListPage = lazyPage(() => import('./pages/assets/AssetPages').then((m) => m.AssetListPage));
const AssetHistoryPage = lazyPage(() => import('./pages/assets/AssetPages').then((m) => m.AssetHistoryPage));
const ReleaseListPage = lazyPage(() => import('./pages/releases/ReleasePages').then((m) => m.ReleaseListPage));
const ReleaseDetailPage = lazyPage(() => import('./pages/releases/ReleasePages').then((m) => m.ReleaseDetailPage));
const RolloutDetailPage = lazyPage(() => import('./pages/releases/RolloutPanel').then((m) => m.RolloutDetailPage));
const JobTypeListPage = lazyPage(() => import('./pages/jobs/JobTypePages').then((m) => m.JobTypeListPage));
const JobTypeDetailPage = lazyPage(() => import('./pages/jobs/JobTypePages').then((m) => m.JobTypeDetailPage));
const JobSchemaListPage = lazyPage(() => import('./pages/jobs/JobSchemaPages').then((m) => m.JobSchemaListPage));
const JobSchemaDetailPage = lazyPage(() => import('./pages/jobs/JobSchemaPages').then((m) => m.JobSchemaDetailPage));
const JobSchedulerPage = lazyPage(() => import('./pages/jobs/JobSchedulerPage').then((m) => m.JobSchedulerPage));
const ScheduleJobPage = lazyPage(() => import('./pages/jobs/ScheduleJobPage').then((m) => m.ScheduleJobPage));
const JobListPage = lazyPage(() => import('./pages/jobs/JobPages').then((m) => m.JobListPage));
const JobDetailPage = lazyPage(() => import('./pages/jobs/JobPages').then((m) => m.JobDetailPage));
const JobStatusPage = lazyPage(() => import('./pages/jobs/JobPages').then((m) => m.JobStatusPage));
const MigrationListPage = lazyPage(() => import('./pages/migrations/MigrationPages').then((m) => m.MigrationListPage));
const MigrationDetailPage = lazyPage(() => import('./pages/migrations/MigrationPages').then((m) => m.MigrationDetailPage));
const LogSessionListPage = lazyPage(() => import('./pages/logs/LogSessionPages').then((m) => m.LogSessionListPage));
const LogSessionDetailPage = lazyPage(() => import('./pages/logs/LogSessionPages').then((m) => m.LogSessionDetailPage));
const LogViewerPage = lazyPage(() => import('./pages/logs/LogViewerPage').then((m) => m.LogViewerPage));
const JobScheduleListPage = lazyPage(() => import('./pages/jobs/JobSchedulePages').then((m) => m.JobScheduleListPage));
const JobScheduleDetailPage = lazyPage(() => import('./pages/jobs/JobSchedulePages').then((m) => m.JobScheduleDetailPage));

/**
 * Called once on a full page load, before the first render: starts loading the
 * error-report pages' chunk and, at the same time, their data, instead of one
 * after the other (the page takes the answers when it mounts). Resolves when
 * the chunk is there (or could not be loaded); undefined for other pages.
 */
export function prefetchRoute(client: ApiClient, pathname: string, search: string): Promise<unknown> | undefined {
  let page: ErrorReportPage | null = null;
  let chunk: { preload: () => Promise<unknown> } | null = null;
  if (matchPath('/errorreports', pathname)) {
    page = { kind: 'list' };
    chunk = ErrorReportListPage;
  } else if (matchPath('/errorreports/view/pareto', pathname)) {
    page = { kind: 'pareto' };
    chunk = ParetoPage;
  } else {
    const id = matchPath('/errorreports/:id', pathname)?.params.id;
    if (id) {
      page = { kind: 'detail', id };
      chunk = ErrorReportDetailPage;
    }
  }
  if (!page || !chunk) return undefined;
  const params = new URLSearchParams(search);
  // The data first: the chunk brings several files, and the browser opens only a few connections at a time.
  prefetchErrorReportPage(client, page, params);
  // A chunk that fails here is fetched again (and reported) by the page.
  const loaded = chunk.preload().catch(() => undefined);
  // While both are on their way: the time formatter the rows need (costly the first time).
  prepareTimeZone(pageTimeZone(page, params));
  return loaded;
}

export function AppRoutes() {
  return (
    <Routes>
      <Route path="/login" element={<LoginPage />} />
      <Route
        element={
          <RequireAuth>
            <Layout />
          </RequireAuth>
        }
      >
        <Route index element={<HomePage />} />
        <Route path="users/profile/me" element={<ProfilePage />} />
        <Route path="users" element={<RequireManager><UsersPage /></RequireManager>} />
        <Route path="users/new" element={<RequireManager><UserCreatePage /></RequireManager>} />
        <Route path="users/:userId" element={<RequireManager><UserEditPage /></RequireManager>} />
        <Route path="docs" element={<DocsPage />} />

        <Route path="errorreports">
          <Route index element={<ErrorReportListPage />} />
          <Route path="view/pareto" element={<ParetoPage />} />
          <Route path=":id" element={<ErrorReportDetailPage />} />
        </Route>
        <Route path="harvesters">
          <Route index element={<HarvesterListPage />} />
          <Route path=":id" element={<HarvesterDetailPage />} />
          <Route path=":id/versions" element={<HarvesterVersionsPage />} />
        </Route>
        <Route path="harvesterhistory" element={<HarvesterHistoryPage />} />
        <Route path="locations" element={<LocationListPage />} />
        <Route path="distributors" element={<DistributorListPage />} />
        {(['events', 'picksessions'] as const).map((kind) => (
          <Route key={kind} path={kind}>
            <Route index element={<EventListPage key={kind} kind={kind} />} />
            <Route path=":id" element={<EventDetailPage key={kind} kind={kind} />} />
          </Route>
        ))}
        <Route path="notifications">
          <Route index element={<NotificationsPage />} />
          <Route path=":id" element={<NotificationDetailPage />} />
        </Route>
        <Route path="s3files">
          <Route index element={<S3FileListPage />} />
          <Route path=":id" element={<S3FileDetailPage />} />
        </Route>
        <Route path="harvversion">
          <Route index element={<VersionListPage />} />
          <Route path=":id" element={<VersionDetailPage />} />
        </Route>
        <Route path="autodiagnostics">
          <Route index element={<AutodiagnosticsListPage />} />
          <Route path=":id" element={<AutodiagnosticsDetailPage />} />
        </Route>
        <Route path="gripreports">
          <Route index element={<GripReportListPage />} />
          <Route path=":id" element={<GripReportDetailPage />} />
        </Route>
        <Route path="aftconfigs">
          <Route index element={<ConfigListPage />} />
          <Route path="compare" element={<ConfigComparePage />} />
          <Route path=":id" element={<ConfigDetailPage />} />
        </Route>
        <Route path="jobresults">
          <Route index element={<JobResultListPage />} />
          <Route path=":id" element={<JobResultDetailPage />} />
        </Route>
        <Route path="jobstatus/:id" element={<JobStatusPage />} />
        <Route path="release">
          <Route index element={<ReleaseListPage />} />
          <Route path=":id" element={<ReleaseDetailPage />} />
        </Route>
        <Route path="rollouts/:id" element={<RolloutDetailPage />} />
        <Route path="jobtypes">
          <Route index element={<JobTypeListPage />} />
          <Route path=":id" element={<JobTypeDetailPage />} />
        </Route>
        <Route path="jobschemas">
          <Route index element={<JobSchemaListPage />} />
          <Route path=":id" element={<JobSchemaDetailPage />} />
        </Route>
        <Route path="jobscheduler" element={<JobSchedulerPage />} />
        <Route path="schedulejob/:id" element={<ScheduleJobPage />} />
        <Route path="jobs">
          <Route index element={<JobListPage />} />
          <Route path=":id" element={<JobDetailPage />} />
        </Route>
        <Route path="jobschedules">
          <Route index element={<JobScheduleListPage />} />
          <Route path=":id" element={<JobScheduleDetailPage />} />
        </Route>
        <Route path="harvassetreport">
          <Route index element={<AssetReportListPage />} />
          <Route path=":id" element={<AssetReportDetailPage />} />
        </Route>
        <Route path="harvassets">
          <Route index element={<AssetListPage />} />
          <Route path=":id" element={<AssetHistoryPage />} />
          <Route path=":id/history" element={<AssetHistoryPage />} />
        </Route>
        <Route path="migrations">
          <Route index element={<MigrationListPage />} />
          <Route path=":id" element={<MigrationDetailPage />} />
        </Route>
        {/* The original web app's paths: /logsession, /logsession/:sessionId, /logfiles/:sessionId. */}
        <Route path="logsession">
          <Route index element={<LogSessionListPage />} />
          <Route path=":id" element={<LogSessionDetailPage />} />
        </Route>
        <Route path="logfiles/:sessionId" element={<LogViewerPage />} />
        <Route path="failedingests">
          <Route index element={<FailedIngestListPage />} />
          <Route path=":id" element={<FailedIngestDetailPage />} />
        </Route>

        {RESOURCES.map((def) => (
          <Route key={def.key} path={def.key}>
            {def.list && <Route index element={<ResourceListPage key={def.key} def={def} />} />}
            <Route path=":id" element={<ResourceDetailPage key={def.key} def={def} />} />
          </Route>
        ))}
        <Route path="forbidden" element={<ForbiddenPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
